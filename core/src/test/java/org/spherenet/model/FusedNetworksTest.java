package org.spherenet.model;

import static org.assertj.core.api.Assertions.assertThat;

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
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spherenet.nn.Angular;
import org.spherenet.nn.FusedBackward;

/**
 * Whole networks, float64: the gradient of every parameter when the SphereConvs run fused (a
 * training step records a {@link FusedBackward}, as TrainingStep does) equals the gradient autograd
 * computes through the same networks, to a few ulps. Covers the plain nets, the residual units
 * (whose input is cut once for both paths), and a learnable g (not fused: the graph runs through
 * it between fused layers). Where the kernels were not built both ways are
 * autograd's, and the test passes trivially (SphereConvFusedTest says so).
 */
class FusedNetworksTest {

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of("spherenet9", "linear", new Shape(1, 28, 28)),
                Arguments.of("spherenet18", "sigmoid(0.3)", new Shape(3, 32, 32)),
                Arguments.of("sphereresnet32", "linear", new Shape(3, 32, 32)),
                Arguments.of("spherenet9", "cosine", new Shape(3, 32, 32)),
                Arguments.of("spherenet9", "learnable-sigmoid", new Shape(1, 28, 28)));
    }

    @ParameterizedTest(name = "{0} with {1} on {2}")
    @MethodSource("networks")
    void gradientsMatchAutograd(String name, String angular, Shape input) {
        Models.Entry e = Models.entry(name);
        ModelSpec spec = new ModelSpec(e.family(), e.depth(), 0.0625,
                ConvStyle.of(Operator.sphere(Angular.parse(angular))), Head.softmax(), true, 10,
                (int) input.get(0), (int) input.get(1), (int) input.get(2));
        Block net = Models.build(spec);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape batch = new Shape(4).addAll(input);
            Engine.getInstance().setRandomSeed(3);
            net.initialize(m, DataType.FLOAT64, batch);
            NDArray x = m.randomNormal(batch).toType(DataType.FLOAT64, false);
            NDArray labels = m.create(new float[] {0, 3, 7, 9});
            List<double[]> autograd = gradients(net, spec, m, x, labels, false);
            List<double[]> fused = gradients(net, spec, m, x, labels, true);
            for (int i = 0; i < autograd.size(); i++) {
                double scale = 0;
                double difference = 0;
                for (int j = 0; j < autograd.get(i).length; j++) {
                    scale = Math.max(scale, Math.abs(autograd.get(i)[j]));
                    difference = Math.max(difference,
                            Math.abs(fused.get(i)[j] - autograd.get(i)[j]));
                }
                assertThat(difference).as("gradient of parameter %d", i)
                        .isLessThanOrEqualTo(1e-11 * scale);
            }
        }
    }

    /** Every trainable parameter's gradient after one forward and backward pass, then cleared. */
    private static List<double[]> gradients(Block net, ModelSpec spec, NDManager m, NDArray x,
            NDArray labels, boolean fused) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                FusedBackward recording = fused ? FusedBackward.record(x) : null) {
            NDList out = net.forward(new ParameterStore(m, false), new NDList(x), true);
            collector.backward(spec.head().loss(0.1, 0).evaluate(new NDList(labels), out));
            if (recording != null) {
                recording.backward();
            }
        }
        List<double[]> result = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().requiresGradient()) {
                NDArray gradient = p.getValue().getArray().getGradient();
                result.add(gradient.toDoubleArray());
                gradient.set(new NDIndex("..."), 0); // PyTorch accumulates gradients
            }
        }
        return result;
    }
}
