package org.spherenet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.spherenet.nn.Angular;

/** Every network builds and trains (forward, loss, backward) at tiny width on every input size. */
class ModelsTest {

    static Stream<Arguments> networksAndInputs() {
        List<Arguments> cases = new ArrayList<>();
        for (Models.Entry e : Models.entries()) {
            boolean imageNet = e.family().equals("resnet-imagenet");
            for (Shape input : imageNet
                    ? List.of(new Shape(3, 64, 64))
                    : List.of(new Shape(1, 28, 28), new Shape(3, 32, 32))) {
                cases.add(Arguments.of(e.name(), input));
            }
        }
        return cases.stream();
    }

    static ModelSpec spec(String name, ConvStyle style, Head head, Shape input) {
        Models.Entry e = Models.entry(name);
        return new ModelSpec(e.family(), e.depth(), 0.0625, style, head, true, 10,
                (int) input.get(0), (int) input.get(1), (int) input.get(2));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("networksAndInputs")
    void everyNetworkTrainsOneStep(String name, Shape input) {
        Operator op = Models.entry(name).defaultOperator();
        assertTrainsOneStep(spec(name, ConvStyle.of(op), Head.softmax(), input), input);
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(Operator.plain(), Head.softmax(), false),
                Arguments.of(Operator.sphere(Angular.cosine()), Head.wSoftmax(), false),
                Arguments.of(Operator.sphere(Angular.sigmoid(0.3)), Head.gaSoftmax(Angular.linear(), 1.5), false),
                Arguments.of(Operator.sphere(Angular.learnableSigmoid()), Head.aSoftmax(), false),
                Arguments.of(Operator.plain(), Head.softmax(), true),
                Arguments.of(Operator.sphere(Angular.linear()), Head.gaSoftmax(Angular.sigmoid(0.3), 2), true));
    }

    @ParameterizedTest(name = "{0} {1} sphereNorm={2}")
    @MethodSource("variants")
    void operatorsHeadsAndSphereNormCombine(Operator op, Head head, boolean sphereNorm) {
        Shape input = new Shape(1, 28, 28);
        ConvStyle style = new ConvStyle(op, sphereNorm, true, true, BatchNormStyle.AUTHORS);
        assertTrainsOneStep(spec("spherenet9", style, head, input), input);
    }

    @Test
    void plainNetStageDepthsAddUpToTheName() {
        for (int depth : new int[] {9, 18, 38, 69}) {
            assertThat(PlainNet.stageDepths(depth)).hasSize(3);
            assertThat(java.util.Arrays.stream(PlainNet.stageDepths(depth)).sum()).isEqualTo(depth);
        }
        assertThat(PlainNet.stageDepths(38)).containsExactly(13, 13, 12);
    }

    @Test
    void fc6KernelCoversWhatIsLeftAfterPooling() {
        for (Shape input : List.of(new Shape(1, 28, 28), new Shape(3, 32, 32))) {
            Block net = Models.build(spec("cnn9", ConvStyle.of(Operator.plain()), Head.softmax(), input));
            try (NDManager m = NDManager.newBaseManager()) {
                net.initialize(m, DataType.FLOAT32, new Shape(2).addAll(input));
                Shape fc6 = findFc6Weight(net);
                assertThat(fc6.get(2)).isEqualTo(input.get(1) / 8);
            }
        }
    }

    @Test
    void unknownNamesAreRefusedWithTheChoices() {
        assertThatThrownBy(() -> Models.entry("vgg16")).hasMessageContaining("spherenet9");
        assertThatThrownBy(() -> Operator.parse("tanh")).hasMessageContaining("expected conv");
        assertThatThrownBy(() -> Head.parse("ga-softmax:linear:0.5")).hasMessageContaining("m must be >= 1");
    }

    private static Shape findFc6Weight(Block net) {
        Shape last = null;
        for (Pair<String, Parameter> p : net.getParameters()) {
            Shape s = p.getValue().getArray().getShape();
            if (p.getValue().getName().equals("weight") && s.dimension() == 4) {
                last = s;
            }
        }
        return last;
    }

    /**
     * Forward, loss and backward on a noise batch: the output has the right shape, the loss is
     * finite, and the gradients are finite and reach the first layer. (This once had to allow two
     * retries: deep SphereNets sometimes got exactly zero or NaN gradients below one layer, because
     * DJL's scalar constants lived in Java memory that a garbage collection could free before the
     * backward pass read it; see {@code Constant} and {@code ConstantLifetimeTest}.)
     */
    private static void assertTrainsOneStep(ModelSpec spec, Shape input) {
        Block net = Models.build(spec);
        try (NDManager m = NDManager.newBaseManager()) {
            int batch = 4;
            net.initialize(m, DataType.FLOAT32, new Shape(batch).addAll(input));
            assertThat(step(net, spec, m, new Shape(batch).addAll(input))).isEqualTo("ok");
        }
    }

    /**
     * One forward and backward pass on a noise batch: "ok", or which gradient was not finite, or
     * that the first layer got none. Clears the gradients afterwards (PyTorch accumulates them).
     */
    private static String step(Block net, ModelSpec spec, NDManager m, Shape batch) {
        NDArray x = m.randomNormal(batch);
        NDArray labels = m.create(new float[] {0, 3, 7, 9});
        Loss loss = spec.head().loss(0.01, 0);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDList out = net.forward(new ParameterStore(m, false), new NDList(x), true);
            assertThat(out.head().getShape()).isEqualTo(new Shape(batch.get(0), 10));
            NDArray value = loss.evaluate(new NDList(labels), out);
            assertThat(Double.isFinite(value.getFloat())).as("finite loss").isTrue();
            gc.backward(value);
        }
        String outcome = null;
        double first = -1;
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                continue;
            }
            NDArray grad = p.getValue().getArray().getGradient();
            if (outcome == null && grad.isNaN().logicalOr(grad.isInfinite()).any().getBoolean()) {
                outcome = "non-finite gradient of " + p.getKey();
            }
            if (first < 0 && p.getValue().getName().equals("weight")) {
                first = grad.abs().sum().getFloat();
            }
            grad.set(new NDIndex("..."), 0);
        }
        return outcome != null ? outcome : first > 0 ? "ok" : "no gradient in the first layer";
    }
}
