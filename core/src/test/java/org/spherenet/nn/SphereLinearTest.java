package org.spherenet.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.spherenet.nn.ReferenceSphereConv.G;

/**
 * SphereLinear against the float64 reference: a fully-connected SphereConv is the convolution with
 * {@code H = W = kernel = 1} and {@code inC = features} (or, for a (B, C, H, W) input, a kernel as
 * large as the image).
 */
class SphereLinearTest {

    private static final double SIGMOID_K = 0.3;
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Stream<Arguments> grid() {
        List<Arguments> cases = new ArrayList<>();
        for (G g : G.values()) {
            for (int features : new int[] {16, 100}) {
                for (int batch : new int[] {1, 5}) {
                    cases.add(Arguments.of(g, features, batch));
                }
            }
        }
        return cases.stream();
    }

    private static Function<NDArray[], NDArray> op(G g) {
        return in -> SphereLinear.sphereLinear(in[0], in[1], SphereConv2dTest.angular(g).withKappa(in[2]));
    }

    private static double[] kappa(int units) {
        double[] kappa = new double[units];
        for (int i = 0; i < units; i++) {
            kappa[i] = (i % 2 == 0 ? 1 : -1) * (0.2 + 0.15 * i);
        }
        return kappa;
    }

    private static void assertMatchesReference(
            G g, ReferenceSphereConv ref, Shape inputShape, Shape weightShape, long seed) {
        Random random = new Random(seed);
        double[] x = Numerics.gaussian(random, (int) inputShape.size(), 1);
        double[] w = Numerics.gaussian(random, (int) weightShape.size(), Math.sqrt(2.0 / weightShape.get(1)));
        double[] kappa = kappa(ref.outC);
        double[] up = Numerics.gaussian(random, ref.outSize(), 1);
        double[] expected = ref.forward(x, w, g, SIGMOID_K, kappa);
        double[][] grads = ref.gradients(x, w, g, SIGMOID_K, kappa, up);
        double[][] actual;
        try (NDManager m = manager.newSubManager()) {
            actual = Numerics.outputAndGradients(op(g), up,
                    Numerics.array(m, x, inputShape, DataType.FLOAT32),
                    Numerics.array(m, w, weightShape, DataType.FLOAT32),
                    Numerics.array(m, kappa, new Shape(ref.outC), DataType.FLOAT32));
        }
        assertThat(Numerics.relativeError(actual[0], expected)).as("output").isLessThan(1e-4);
        assertThat(Numerics.relativeError(actual[1], grads[0])).as("d input").isLessThan(1e-4);
        assertThat(Numerics.relativeError(actual[2], grads[1])).as("d weight").isLessThan(1e-4);
        if (g == G.LEARNABLE) {
            assertThat(Numerics.relativeError(actual[3], grads[2])).as("d kappa").isLessThan(1e-4);
        } else {
            assertThat(Numerics.relativeError(actual[3], new double[ref.outC])).isZero();
        }
    }

    @ParameterizedTest(name = "{0} features={1} batch={2}")
    @MethodSource("grid")
    void float32ForwardAndGradientsMatchReferenceAsOneByOneConvolution(G g, int features, int batch) {
        int units = 7;
        ReferenceSphereConv ref = new ReferenceSphereConv(batch, features, 1, 1, units, 1, 1, 0);
        assertMatchesReference(g, ref, new Shape(batch, features), new Shape(units, features),
                100L * features + batch + 10L * g.ordinal());
    }

    @ParameterizedTest
    @EnumSource(G.class)
    void fourDimensionalInputIsFlattenedLikeAWholeImageKernel(G g) {
        int batch = 3;
        int c = 3;
        int h = 4;
        int units = 5;
        // a kernel as large as the image: one output position whose patch is the whole sample
        ReferenceSphereConv ref = new ReferenceSphereConv(batch, c, h, h, units, h, 1, 0);
        assertMatchesReference(g, ref, new Shape(batch, c, h, h), new Shape(units, c * h * h), 77 + g.ordinal());
    }

    @Test
    void builderValidatesItsSettings() {
        assertThatThrownBy(() -> SphereLinear.builder().build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SphereLinear.builder().setUnits(-3).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SphereLinear.builder().setUnits(3).optAngular(null).build())
                .isInstanceOf(IllegalArgumentException.class);
        SphereLinear block = SphereLinear.builder().setUnits(3).build();
        assertThat(block.getUnits()).isEqualTo(3);
        assertThat(block.getAngular()).isEqualTo(Angular.linear());
    }

    @ParameterizedTest
    @EnumSource(G.class)
    void initializedBlockHasTheDocumentedShapesAndEqualsTheFunctionalForm(G g) {
        Angular angular = SphereConv2dTest.angular(g);
        SphereLinear block = SphereLinear.builder().setUnits(6).optAngular(angular).build();
        Shape input = new Shape(4, 2, 3, 5);
        try (NDManager m = manager.newSubManager()) {
            block.initialize(m, DataType.FLOAT32, input);
            Parameter weight = block.getWeight();
            assertThat(weight.getArray().getShape()).isEqualTo(new Shape(6, 30));
            assertThat(block.getOutputShapes(new Shape[] {input})[0]).isEqualTo(new Shape(4, 6));
            boolean hasKappa = block.getParameters().keys().contains("kappa");
            assertThat(hasKappa).isEqualTo(g == G.LEARNABLE);
            assertThat(block.getParameters().keys()).doesNotContain("bias");

            NDArray x = Numerics.array(m, Numerics.gaussian(new Random(9), (int) input.size(), 1), input, DataType.FLOAT32);
            for (boolean training : new boolean[] {false, true}) {
                NDArray out = block.forward(new ParameterStore(m, false), new NDList(x), training).singletonOrThrow();
                assertThat(out.getShape()).isEqualTo(new Shape(4, 6));
                Angular bound = angular;
                if (hasKappa) {
                    NDArray kappa = block.getParameters().get("kappa").getArray();
                    assertThat(kappa.getShape()).isEqualTo(new Shape(6));
                    double[] k = Numerics.values(kappa);
                    double[] init = new double[6];
                    Arrays.fill(init, 0.7);
                    assertThat(Numerics.relativeError(k, init)).isLessThan(1e-7);
                    bound = angular.withKappa(kappa);
                }
                double[] functional = Numerics.values(SphereLinear.sphereLinear(x, weight.getArray(), bound));
                assertThat(Numerics.values(out)).containsExactly(functional);
            }
        }
    }
}
