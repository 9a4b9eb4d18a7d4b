package org.spherenet.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spherenet.nn.Angular;
import org.spherenet.nn.SphereConv2d;

class ReleasingSequentialBlockTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void closesWhatTheNextBlockUsedUpAndNothingElse() {
        List<NDArray> seen = new ArrayList<>();
        Block plusOne = recording(seen, x -> x.add(1));
        Block identity = new LambdaBlock(list -> list); // hands its input on unchanged
        Block twice = recording(seen, x -> x.mul(2));
        Block minusThree = recording(seen, x -> x.sub(3));
        SequentialBlock net = new ReleasingSequentialBlock().addAll(plusOne, identity, twice, minusThree);
        NDArray input = manager.create(new float[] {1, 2, 3});
        net.initialize(manager, DataType.FLOAT32, input.getShape());
        seen.clear(); // initialising ran the lambdas once on arrays of its own

        NDArray output = net.forward(new ParameterStore(manager, false), new NDList(input), false)
                .singletonOrThrow();

        assertThat(output.toFloatArray()).containsExactly(1, 3, 5);
        assertThat(seen).hasSize(3);
        NDArray afterPlusOne = seen.get(0);
        NDArray afterTwice = seen.get(1);
        assertThat(afterPlusOne.isReleased()).as("x + 1: used by the identity, then by x * 2").isTrue();
        assertThat(afterTwice.isReleased()).as("x * 2: used by x - 3").isTrue();
        assertThat(input.isReleased()).as("the caller's input").isFalse();
        assertThat(output.isReleased()).as("the result").isFalse();
    }

    @Test
    void givesTheSameOutputAndGradientsAsASequentialBlock() {
        // the same child blocks (so the same parameters) in both containers
        Block[] layers = {
            SphereConv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4)
                    .optPadding(new Shape(1, 1)).optAngular(Angular.linear()).build(),
            BatchNorm.builder().build(),
            Activation.reluBlock(),
            SphereConv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(3).build(),
        };
        SequentialBlock plain = new SequentialBlock().addAll(layers);
        SequentialBlock releasing = new ReleasingSequentialBlock().addAll(layers);
        Engine.getInstance().setRandomSeed(7);
        NDArray images = manager.randomNormal(new Shape(2, 3, 6, 6));
        plain.initialize(manager, DataType.FLOAT32, images.getShape());

        List<float[]> plainResult = outputAndGradients(plain, images);
        List<float[]> releasingResult = outputAndGradients(releasing, images);

        assertThat(releasingResult).hasSize(plainResult.size());
        for (int i = 0; i < plainResult.size(); i++) {
            assertThat(releasingResult.get(i)).as("array %d", i).containsExactly(plainResult.get(i));
        }
    }

    /** The output, then every parameter's gradient, of one forward and backward pass. */
    private List<float[]> outputAndGradients(SequentialBlock net, NDArray images) {
        List<float[]> result = new ArrayList<>();
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray input = images.duplicate();
            input.attach(step);
            NDArray output = net.forward(new ParameterStore(step, false), new NDList(input), true)
                    .singletonOrThrow();
            collector.backward(output.square().sum());
            result.add(output.toFloatArray());
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    NDArray gradient = p.getValue().getArray().getGradient();
                    result.add(gradient.toFloatArray());
                    gradient.subi(gradient); // the next pass starts from zero
                }
            }
        }
        return result;
    }

    private static Block recording(List<NDArray> seen, java.util.function.UnaryOperator<NDArray> f) {
        return new LambdaBlock(list -> {
            NDArray out = f.apply(list.singletonOrThrow());
            seen.add(out);
            return new NDList(out);
        });
    }
}
