package org.spherenet.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spherenet.nn.ReferenceSphereConv.G;

/**
 * SphereConv2d against the independent float64 {@link ReferenceSphereConv}: forward and the
 * gradients for input, weight and kappa, over every angular function, kernel 1/3/5, stride 1/2,
 * padding 0/1/2, 1/3/16 input channels and batch 1/4.
 */
class SphereConv2dTest {

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
            for (int k : new int[] {1, 3, 5}) {
                for (int stride : new int[] {1, 2}) {
                    for (int pad : new int[] {0, 1, 2}) {
                        for (int inC : new int[] {1, 3, 16}) {
                            for (int batch : new int[] {1, 4}) {
                                cases.add(Arguments.of(g, k, stride, pad, inC, batch));
                            }
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    static Angular angular(G g) {
        switch (g) {
            case LINEAR:
                return Angular.linear();
            case COSINE:
                return Angular.cosine();
            case SIGMOID:
                return Angular.sigmoid(SIGMOID_K);
            default:
                return Angular.learnableSigmoid();
        }
    }

    /** The operator under test with inputs (x, w, kappa). */
    static Function<NDArray[], NDArray> operator(G g, int stride, int pad) {
        Shape s = new Shape(stride, stride);
        Shape p = new Shape(pad, pad);
        return in -> SphereConv2d.sphereConv2d(in[0], in[1], angular(g).withKappa(in[2]), s, p);
    }

    @ParameterizedTest(name = "{0} k={1} s={2} p={3} cin={4} b={5}")
    @MethodSource("grid")
    void float32ForwardAndGradientsMatchFloat64Reference(
            G g, int k, int stride, int pad, int inC, int batch) {
        int size = 7;
        int outC = 3;
        Random random = new Random(31L * k + 7L * stride + 3L * pad + inC + 1000L * batch + g.ordinal());
        ReferenceSphereConv ref = new ReferenceSphereConv(batch, inC, size, size, outC, k, stride, pad);
        double[] x = Numerics.gaussian(random, batch * inC * size * size, 1);
        double[] w = Numerics.gaussian(random, outC * inC * k * k, Math.sqrt(2.0 / (k * k * inC)));
        double[] kappa = {0.7, -0.3, 1.4};
        double[] upstream = Numerics.gaussian(random, ref.outSize(), 1);

        double[] expected = ref.forward(x, w, g, SIGMOID_K, kappa);
        double[][] expectedGrads = ref.gradients(x, w, g, SIGMOID_K, kappa, upstream);

        // A 1x1 kernel over one channel makes every patch a scalar, exactly parallel or
        // anti-parallel to its kernel: the true gradient is then a pure epsilon effect, about 1e-4
        // of the float32 terms it is the difference of, and no float32 evaluation can get it to
        // 1e-4 relative. That case is checked in float64 to the same bound, and in float32 for
        // finiteness and to 1e-2.
        boolean scalarPatch = inC * k * k == 1;
        DataType type = scalarPatch ? DataType.FLOAT64 : DataType.FLOAT32;
        double[][] actual = run(g, stride, pad, x, w, kappa, upstream, ref, type);
        assertThat(Numerics.relativeError(actual[0], expected)).as("output").isLessThan(1e-4);
        assertThat(Numerics.relativeError(actual[1], expectedGrads[0])).as("d input").isLessThan(1e-4);
        assertThat(Numerics.relativeError(actual[2], expectedGrads[1])).as("d weight").isLessThan(1e-4);
        if (g == G.LEARNABLE) {
            assertThat(Numerics.relativeError(actual[3], expectedGrads[2]))
                    .as("d kappa")
                    .isLessThan(1e-4);
        }
        if (scalarPatch) {
            double[][] single = run(g, stride, pad, x, w, kappa, upstream, ref, DataType.FLOAT32);
            assertThat(Numerics.relativeError(single[0], expected)).as("float32 output").isLessThan(1e-4);
            for (int i = 1; i < single.length; i++) {
                assertThat(Numerics.allFinite(single[i])).isTrue();
                assertThat(Numerics.relativeError(single[i], expectedGrads[i - 1]))
                        .as("float32 gradient %d", i)
                        .isLessThan(1e-2);
            }
        }
    }

    private static double[][] run(
            G g, int stride, int pad, double[] x, double[] w, double[] kappa, double[] upstream,
            ReferenceSphereConv ref, DataType type) {
        try (NDManager m = manager.newSubManager()) {
            return Numerics.outputAndGradients(
                    operator(g, stride, pad),
                    upstream,
                    Numerics.array(m, x, new Shape(ref.batch, ref.inC, ref.height, ref.width), type),
                    Numerics.array(m, w, new Shape(ref.outC, ref.inC, ref.kh, ref.kw), type),
                    Numerics.array(m, kappa, new Shape(ref.outC), type));
        }
    }
}
