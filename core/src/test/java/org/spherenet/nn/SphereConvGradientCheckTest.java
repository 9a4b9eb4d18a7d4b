package org.spherenet.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spherenet.nn.ReferenceSphereConv.G;

/**
 * Gradient checks by central finite differences: (a) the float64 reference's analytic chain rule
 * (PAPER 1.4) against differences of its own forward pass, which makes it a trustworthy oracle;
 * (b) DJL's autograd through {@link SphereConv2d} in float64 against differences of the DJL
 * forward pass; (c) the 4x4x2 conv test vector of PAPER section 13 item 2.
 */
class SphereConvGradientCheckTest {

    private static final double SIGMOID_K = 0.3;
    private static final double[] KAPPA = {0.7, -0.45, 1.2};
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** (kernel, stride, padding, inChannels, batch, size, outChannels). */
    static Stream<Arguments> configs() {
        return configs(new int[][] {
            {3, 2, 1, 3, 2, 5, 2},
            {1, 1, 2, 1, 1, 3, 2},
            {5, 1, 2, 2, 1, 5, 3},
        });
    }

    /** The DJL configurations plus one without padding (the reference is cheap to difference). */
    static Stream<Arguments> referenceConfigs() {
        return configs(new int[][] {
            {3, 2, 1, 3, 2, 5, 2},
            {1, 1, 2, 1, 1, 3, 2},
            {5, 1, 2, 2, 1, 5, 3},
            {3, 1, 0, 2, 2, 4, 3},
        });
    }

    private static Stream<Arguments> configs(int[][] configs) {
        List<Arguments> cases = new ArrayList<>();
        for (G g : G.values()) {
            for (int[] c : configs) {
                cases.add(Arguments.of(g, c[0], c[1], c[2], c[3], c[4], c[5], c[6]));
            }
        }
        return cases.stream();
    }

    /** Inputs are random, but never zero (padding-free patches that are exactly zero are tested elsewhere). */
    private static double[][] data(ReferenceSphereConv ref, long seed) {
        Random random = new Random(seed);
        double[] x = Numerics.gaussian(random, ref.batch * ref.inC * ref.height * ref.width, 1);
        double[] w = Numerics.gaussian(random, ref.outC * ref.inC * ref.kh * ref.kw, 0.5);
        double[] kappa = java.util.Arrays.copyOf(KAPPA, ref.outC);
        double[] upstream = Numerics.gaussian(random, ref.outSize(), 1);
        return new double[][] {x, w, kappa, upstream};
    }

    @ParameterizedTest(name = "{0} k={1} s={2} p={3} cin={4} b={5}")
    @MethodSource("referenceConfigs")
    void referenceGradientsMatchFiniteDifferencesOfReferenceForward(
            G g, int k, int stride, int pad, int inC, int batch, int size, int outC) {
        ReferenceSphereConv ref = new ReferenceSphereConv(batch, inC, size, size, outC, k, stride, pad);
        double[][] d = data(ref, 11L * k + 5L * pad + g.ordinal());
        double[] up = d[3];
        double[][] analytic = ref.gradients(d[0], d[1], g, SIGMOID_K, d[2], up);
        Function<double[][], Double> loss =
                v -> dot(ref.forward(v[0], v[1], g, SIGMOID_K, v[2]), up);
        double[][] values = {d[0].clone(), d[1].clone(), d[2].clone()};
        String[] names = {"d input", "d weight", "d kappa"};
        for (int which = 0; which < 3; which++) {
            double[] fd = new double[values[which].length];
            for (int i = 0; i < fd.length; i++) {
                double keep = values[which][i];
                values[which][i] = keep + 1e-6;
                double plus = loss.apply(values);
                values[which][i] = keep - 1e-6;
                double minus = loss.apply(values);
                values[which][i] = keep;
                fd[i] = (plus - minus) / 2e-6;
            }
            if (which == 2 && g != G.LEARNABLE) {
                assertThat(Numerics.relativeError(fd, new double[fd.length])).isZero();
                continue;
            }
            assertThat(Numerics.relativeError(analytic[which], fd)).as(names[which]).isLessThan(1e-6);
        }
    }

    @ParameterizedTest(name = "{0} k={1} s={2} p={3} cin={4} b={5}")
    @MethodSource("configs")
    void djlFloat64AutogradMatchesFiniteDifferences(
            G g, int k, int stride, int pad, int inC, int batch, int size, int outC) {
        ReferenceSphereConv ref = new ReferenceSphereConv(batch, inC, size, size, outC, k, stride, pad);
        double[][] d = data(ref, 13L * k + 7L * pad + g.ordinal());
        Shape[] shapes = {
            new Shape(batch, inC, size, size), new Shape(outC, inC, k, k), new Shape(outC)
        };
        Function<NDArray[], NDArray> op = SphereConv2dTest.operator(g, stride, pad);
        double[][] autograd;
        try (NDManager m = manager.newSubManager()) {
            NDArray[] in = new NDArray[3];
            for (int i = 0; i < 3; i++) {
                in[i] = Numerics.array(m, d[i], shapes[i], DataType.FLOAT64);
            }
            autograd = Numerics.outputAndGradients(op, d[3], in);
        }
        assertThat(autograd[0].length).isEqualTo(ref.outSize());
        double[][] values = {d[0].clone(), d[1].clone(), d[2].clone()};
        String[] names = {"d input", "d weight", "d kappa"};
        for (int which = 0; which < (g == G.LEARNABLE ? 3 : 2); which++) {
            double[] fd = Numerics.finiteDifference(manager, op, d[3], values, shapes, which, 1e-6);
            assertThat(Numerics.relativeError(autograd[which + 1], fd)).as(names[which]).isLessThan(1e-6);
        }
        // and the float64 autograd agrees with the independent reference (not just with itself)
        double[][] refGrads = ref.gradients(d[0], d[1], g, SIGMOID_K, d[2], d[3]);
        assertThat(Numerics.relativeError(autograd[0], ref.forward(d[0], d[1], g, SIGMOID_K, d[2])))
                .isLessThan(1e-12);
        for (int which = 0; which < (g == G.LEARNABLE ? 3 : 2); which++) {
            assertThat(Numerics.relativeError(autograd[which + 1], refGrads[which]))
                    .as("reference " + names[which])
                    .isLessThan(1e-10);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    // --- PAPER section 13 item 2 --------------------------------------------------------------

    /** X[h][w] (HWC, 4x4x2) converted to NCHW (1, 2, 4, 4). */
    private static double[] paperInput() {
        double[] x = new double[2 * 4 * 4];
        for (int h = 0; h < 4; h++) {
            for (int w = 0; w < 4; w++) {
                x[(0 * 4 + h) * 4 + w] = (4 * h + w) * 0.1 - 0.5;
                x[(1 * 4 + h) * 4 + w] = ((h + 2 * w) % 5) * 0.2 - 0.3;
            }
        }
        return x;
    }

    /** K[i][j] (HWIO, 3x3x2x1) converted to OIHW (1, 2, 3, 3). */
    private static double[] paperKernel() {
        double[] k = new double[2 * 3 * 3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                k[(0 * 3 + i) * 3 + j] = ((3 * i + j) % 4) * 0.25 - 0.4;
                k[(1 * 3 + i) * 3 + j] = ((i + j) % 3) * 0.3 - 0.2;
            }
        }
        return k;
    }

    private static final double[] PAPER_COSINE = {
        0.14386112, -0.19560428, 0.36118452, -0.08563764,
        -0.03157491, 0.32255700, 0.13322977, 0.12383748,
        -0.16912533, 0.12371624, -0.13988385, 0.20834748,
        -0.00933005, -0.22666887, -0.20555768, -0.05787729
    };

    private static final double[] PAPER_LINEAR_ROWS_0_1 = {
        0.09190372, -0.12533363, 0.23525510, -0.05458548,
        -0.02010455, 0.20908480, 0.08506965, 0.07904030
    };

    @Test
    void paperSection13Item2ConvTestVector() {
        double[] x = paperInput();
        double[] k = paperKernel();
        double[] ones = new double[16];
        java.util.Arrays.fill(ones, 1);
        Shape same = new Shape(1, 1); // 'SAME' for 3x3, stride 1
        double[][] cosine;
        double[][] linear;
        try (NDManager m = manager.newSubManager()) {
            Function<NDArray[], NDArray> cos =
                    in -> SphereConv2d.sphereConv2d(in[0], in[1], Angular.cosine(), new Shape(1, 1), same);
            Function<NDArray[], NDArray> lin =
                    in -> SphereConv2d.sphereConv2d(in[0], in[1], Angular.linear(), new Shape(1, 1), same);
            cosine = Numerics.outputAndGradients(cos, ones,
                    m.create(x, new Shape(1, 2, 4, 4)), m.create(k, new Shape(1, 2, 3, 3)));
            linear = Numerics.outputAndGradients(lin, ones,
                    m.create(x, new Shape(1, 2, 4, 4)), m.create(k, new Shape(1, 2, 3, 3)));
        }
        for (int i = 0; i < 16; i++) {
            assertThat(cosine[0][i]).as("cosine %d", i).isCloseTo(PAPER_COSINE[i], within(6e-9));
        }
        for (int i = 0; i < 8; i++) {
            assertThat(linear[0][i]).as("linear %d", i).isCloseTo(PAPER_LINEAR_ROWS_0_1[i], within(6e-9));
        }
        assertThat(dot(linear[0], ones)).isCloseTo(0.19520016248, within(1e-11));
        // d(sum linear)/dK[0][0] = (channel 0, channel 1) at kernel position (0, 0)
        double[] dk = linear[2];
        assertThat(dk[(0 * 3 + 0) * 3 + 0]).isCloseTo(-0.08063594, within(6e-9));
        assertThat(dk[(1 * 3 + 0) * 3 + 0]).isCloseTo(0.27519300, within(6e-9));

        // the independent reference reproduces the same vector (it is the oracle elsewhere)
        ReferenceSphereConv ref = new ReferenceSphereConv(1, 2, 4, 4, 1, 3, 1, 1);
        double[] refLinear = ref.forward(x, k, G.LINEAR, 0, null);
        assertThat(dot(refLinear, ones)).isCloseTo(0.19520016248, within(1e-11));
        assertThat(Numerics.relativeError(ref.cosines(x, k), PAPER_COSINE)).isLessThan(1e-7);
        double[] refDk = ref.gradients(x, k, G.LINEAR, 0, null, ones)[1];
        assertThat(refDk[0]).isCloseTo(-0.08063594, within(6e-9));
        assertThat(refDk[9]).isCloseTo(0.27519300, within(6e-9));
    }
}
