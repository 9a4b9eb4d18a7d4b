package org.spherenet.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spherenet.nn.ReferenceSphereConv.G;

/**
 * SphereConv2d where the arccos is hard: all-zero inputs and padding-only patches (cos = 0 from
 * the epsilon alone), kernels exactly parallel and anti-parallel to a patch (cos at the edge of
 * (-1, 1), and rounded to 1 in float32 at large norms), and inputs and kernels scaled by 1e-6 and
 * 1e4, where the 1e-4 terms either dominate or vanish.
 */
class SphereConvEdgeCaseTest {

    private static final double SIGMOID_K = 0.3;
    private static final double[] KAPPA = {0.7, -0.3, 1.4, 0.02};
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Stream<Arguments> gsAndTypes() {
        List<Arguments> cases = new ArrayList<>();
        for (G g : G.values()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                cases.add(Arguments.of(g, type));
            }
        }
        return cases.stream();
    }

    /** {output, d input, d weight, d kappa} of sum(upstream * sphereConv2d). */
    private static double[][] run(
            G g, int stride, int pad, double[] x, double[] w, double[] upstream,
            ReferenceSphereConv ref, DataType type) {
        try (NDManager m = manager.newSubManager()) {
            return Numerics.outputAndGradients(
                    SphereConv2dTest.operator(g, stride, pad),
                    upstream,
                    Numerics.array(m, x, new Shape(ref.batch, ref.inC, ref.height, ref.width), type),
                    Numerics.array(m, w, new Shape(ref.outC, ref.inC, ref.kh, ref.kw), type),
                    Numerics.array(m, Arrays.copyOf(KAPPA, ref.outC), new Shape(ref.outC), type));
        }
    }

    private static double[] cosines(double[] x, double[] w, ReferenceSphereConv ref, DataType type) {
        try (NDManager m = manager.newSubManager()) {
            return Numerics.values(SphereConv2d.cosine(
                    Numerics.array(m, x, new Shape(ref.batch, ref.inC, ref.height, ref.width), type),
                    Numerics.array(m, w, new Shape(ref.outC, ref.inC, ref.kh, ref.kw), type),
                    new Shape(ref.stride, ref.stride), new Shape(ref.pad, ref.pad)));
        }
    }

    private static void assertAllFinite(double[][] result) {
        String[] names = {"output", "d input", "d weight", "d kappa"};
        for (int i = 0; i < result.length; i++) {
            assertThat(Numerics.allFinite(result[i])).as(names[i] + " finite").isTrue();
        }
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        Arrays.fill(v, 1);
        return v;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("gsAndTypes")
    void allZeroInputGivesGOfHalfPiAndFiniteGradients(G g, DataType type) {
        ReferenceSphereConv ref = new ReferenceSphereConv(2, 3, 5, 5, 4, 3, 1, 1);
        Random random = new Random(3 + g.ordinal());
        double[] x = new double[2 * 3 * 5 * 5];
        double[] w = Numerics.gaussian(random, 4 * 3 * 9, 0.5);
        double[] up = Numerics.gaussian(random, ref.outSize(), 1);
        double[][] r = run(g, 1, 1, x, w, up, ref, type);
        assertAllFinite(r);
        double gHalfPi = g.value(Math.PI / 2, 0.75); // 0 for every g and k
        assertThat(Math.abs(gHalfPi)).isLessThan(1e-15);
        for (double v : r[0]) {
            assertThat(Math.abs(v - gHalfPi)).isLessThan(1e-6);
        }
        // the gradients are not just finite but the chain rule's: d input = w / (|w| sqrt(1e-4)) g'
        double[][] expected = ref.gradients(x, w, g, SIGMOID_K, KAPPA, up);
        assertThat(Numerics.relativeError(r[1], expected[0])).as("d input").isLessThan(1e-5);
        assertThat(Numerics.relativeError(r[2], expected[1])).as("d weight").isLessThan(1e-5);
        assertThat(Arrays.stream(r[1]).map(Math::abs).max().getAsDouble()).isGreaterThan(1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("gsAndTypes")
    void paddingOnlyPatchesGiveExactlyTheZeroPatchValue(G g, DataType type) {
        int size = 3;
        int pad = 2;
        ReferenceSphereConv ref = new ReferenceSphereConv(2, 2, size, size, 4, 1, 1, pad);
        Random random = new Random(5 + g.ordinal());
        double[] x = Numerics.gaussian(random, 2 * 2 * size * size, 1);
        double[] w = Numerics.gaussian(random, 4 * 2, 1);
        double[] up = Numerics.gaussian(random, ref.outSize(), 1);
        double[][] r = run(g, 1, pad, x, w, up, ref, type);
        double[] zeroPatch = run(g, 1, pad, new double[x.length], w, up, ref, type)[0];
        assertAllFinite(r);
        int out = ref.outH; // 7
        int borders = 0;
        for (int n = 0; n < r[0].length; n++) {
            int oh = (n / out) % out;
            int ow = n % out;
            boolean padding = oh < pad || oh >= pad + size || ow < pad || ow >= pad + size;
            if (padding) {
                borders++;
                assertThat(r[0][n]).as("border output %d", n).isEqualTo(zeroPatch[n]);
                assertThat(Math.abs(r[0][n])).isLessThan(1e-6);
            } else {
                assertThat(r[0][n]).as("interior output %d is a real patch", n).isNotEqualTo(zeroPatch[n]);
            }
        }
        assertThat(borders).isEqualTo(2 * 4 * (out * out - size * size));
        double[][] expected = ref.gradients(x, w, g, SIGMOID_K, KAPPA, up);
        if (type == DataType.FLOAT64) {
            // 1x1 kernels over 2 channels: the interior is an ordinary, well-conditioned patch
            assertThat(Numerics.relativeError(r[1], expected[0])).isLessThan(1e-9);
            assertThat(Numerics.relativeError(r[2], expected[1])).isLessThan(1e-9);
        }
    }

    /**
     * A kernel with entries j/8 (exact in float32, and so are 3w and 8192w) of norm about 1.5; the
     * input is the patch c * w, so the single output position sees a patch exactly parallel (c >
     * 0) or anti-parallel (c < 0) to the kernel.
     */
    static Stream<Arguments> parallelCases() {
        List<Arguments> cases = new ArrayList<>();
        for (G g : G.values()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                for (double scale : new double[] {1, 8192}) {
                    for (double sign : new double[] {1, -1}) {
                        cases.add(Arguments.of(g, type, scale, sign));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} scale={2} sign={3}")
    @MethodSource("parallelCases")
    void parallelAndAntiParallelPatchesStayFinite(G g, DataType type, double scale, double sign) {
        int k = 3;
        int inC = 2;
        ReferenceSphereConv ref = new ReferenceSphereConv(1, inC, k, k, 1, k, 1, 0);
        Random random = new Random(7);
        double[] w = new double[inC * k * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = scale * (random.nextInt(9) - 4) / 8.0;
        }
        double[] x = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            x[i] = sign * 3 * w[i];
        }
        double[] up = {1.0};
        double cos = cosines(x, w, ref, type)[0];
        double exact = ref.cosines(x, w)[0];
        assertThat(sign * exact).as("float64 reference cos").isLessThan(1).isGreaterThan(1 - 1e-4);
        if (scale == 1) {
            // norms ~1: the 1e-4 terms keep cos 5e-5 away from +-1, visible in float32 too
            assertThat(Math.abs(cos)).as("|cos| < 1").isLessThan(1);
            assertThat(cos).isCloseTo(exact, org.assertj.core.api.Assertions.within(2e-7));
        } else {
            // norms ~1e4: 1 - |cos| ~ 1e-12, below float32 resolution (6e-8): cos rounds to +-1
            assertThat(1 - sign * exact).isLessThan(1e-11);
            if (type == DataType.FLOAT32) {
                assertThat(Math.abs(Math.abs(cos) - 1)).as("float32 cos rounds to +-1").isLessThan(1.2e-7);
            } else {
                assertThat(Math.abs(cos)).isLessThan(1);
            }
        }
        double[][] r = run(g, 1, 0, x, w, up, ref, type);
        assertAllFinite(r);
        // the output is g at a tiny angle from 0 (or pi): |g| >= 0.98 with the sign of the patch
        assertThat(sign * r[0][0]).isGreaterThan(0.98).isLessThanOrEqualTo(1);
        if (scale == 1 && type == DataType.FLOAT64) {
            double[] expected = ref.forward(x, w, g, SIGMOID_K, KAPPA);
            double[][] grads = ref.gradients(x, w, g, SIGMOID_K, KAPPA, up);
            assertThat(r[0][0]).isCloseTo(expected[0], org.assertj.core.api.Assertions.within(1e-9));
            assertThat(Numerics.relativeError(r[1], grads[0])).as("d input").isLessThan(1e-6);
            assertThat(Numerics.relativeError(r[2], grads[1])).as("d weight").isLessThan(1e-6);
        }
    }

    // --- magnitudes ---------------------------------------------------------------------------

    static Stream<Arguments> magnitudes() {
        List<Arguments> cases = new ArrayList<>();
        double[] scales = {1e-6, 1, 1e4};
        for (G g : G.values()) {
            for (double a : scales) {
                for (double b : scales) {
                    cases.add(Arguments.of(g, a, b));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} a={1} b={2}")
    @MethodSource("magnitudes")
    void scaledInputsAndKernelsMatchTheReferenceWithItsEpsilon(G g, double a, double b) {
        ReferenceSphereConv ref = new ReferenceSphereConv(2, 3, 6, 6, 4, 3, 1, 1);
        Random random = new Random(23 + g.ordinal());
        double[] x = Numerics.gaussian(random, 2 * 3 * 6 * 6, 1);
        double[] w = Numerics.gaussian(random, 4 * 3 * 9, 0.5);
        double[] ax = new double[x.length];
        double[] bw = new double[w.length];
        for (int i = 0; i < x.length; i++) {
            ax[i] = (float) (a * x[i]); // the float32 run sees exactly these values
        }
        for (int i = 0; i < w.length; i++) {
            bw[i] = (float) (b * w[i]);
        }
        double[] up = new double[ref.outSize()];
        double[] expected = ref.forward(ax, bw, g, SIGMOID_K, KAPPA);
        double[] f32 = run(g, 1, 1, ax, bw, up, ref, DataType.FLOAT32)[0];
        double[] f64 = run(g, 1, 1, ax, bw, up, ref, DataType.FLOAT64)[0];
        assertThat(Numerics.relativeError(f32, expected)).as("float32").isLessThan(1e-4);
        // the reference computes g(acos(c)): an absolute error of a few ulp of pi/2 times the slope
        double[] absolute = new double[f64.length];
        for (int i = 0; i < f64.length; i++) {
            absolute[i] = Math.abs(f64[i] - expected[i]);
        }
        double scale = Arrays.stream(expected).map(Math::abs).max().getAsDouble();
        assertThat(Arrays.stream(absolute).max().getAsDouble())
                .as("float64")
                .isLessThan(1e-10 * scale + 1e-15 * (1 + maxSlope(g, ref.outC)));

        if (a == 1e4 && b == 1e4) {
            // scale invariance: at these norms the 1e-4 terms vanish, so the output is g of the
            // exact, epsilon-free cosine
            double[] exactCos = ref.cosines(ax, bw, 0);
            double[] epsilonFree = new double[exactCos.length];
            for (int n = 0; n < exactCos.length; n++) {
                int o = (n / (ref.outH * ref.outW)) % ref.outC;
                double k = ReferenceSphereConv.curvature(g, SIGMOID_K, KAPPA, o);
                epsilonFree[n] = g.value(Math.acos(exactCos[n]), k);
            }
            assertThat(Numerics.relativeError(f32, epsilonFree)).isLessThan(1e-4);
            assertThat(Numerics.relativeError(f64, epsilonFree)).isLessThan(1e-8);
        }
        if (a == 1e-6) {
            // tiny patches: |cos| <= |x_p| / sqrt(|x_p|^2 + 1e-4) < 100 |x_p|, so the output is within
            // maxSlope(g) * asin(100 |x_p|) of g(pi/2) = 0, although the exact cosine is not small
            double maxSlope = maxSlope(g, ref.outC);
            double[] exactCos = ref.cosines(x, w, 0);
            double largestExact = 0;
            for (int n = 0; n < f32.length; n++) {
                int bi = n / (ref.outC * ref.outH * ref.outW);
                int oh = (n / ref.outW) % ref.outH;
                int ow = n % ref.outW;
                double patchNorm = Math.sqrt(ref.patchEnergy(ax, bi, oh, ow));
                double bound = maxSlope * Math.asin(Math.min(1, patchNorm / Math.sqrt(1e-4)));
                assertThat(patchNorm).isLessThan(1e-5);
                assertThat(Math.abs(f32[n])).as("tiny patch %d", n).isLessThanOrEqualTo(bound * 1.001 + 1e-7);
                assertThat(Math.abs(f64[n])).isLessThanOrEqualTo(bound * 1.001);
                largestExact = Math.max(largestExact, Math.abs(exactCos[n]));
            }
            assertThat(largestExact).as("without the epsilon the patches are far from orthogonal").isGreaterThan(0.3);
            assertThat(Arrays.stream(f32).map(Math::abs).max().getAsDouble()).isLessThan(1e-3 * maxSlope + 1e-7);
        }
    }

    /** The largest |dg/dtheta| on [0, pi]: at pi/2 for every g here (sigmoid: C_k / (2k)). */
    private static double maxSlope(G g, int channels) {
        switch (g) {
            case LINEAR:
                return 2 / Math.PI;
            case COSINE:
                return 1;
            default:
                double max = 0;
                for (int o = 0; o < channels; o++) {
                    double k = ReferenceSphereConv.curvature(g, SIGMOID_K, KAPPA, o);
                    max = Math.max(max, 1 / (2 * k * Math.tanh(Math.PI / (4 * k))));
                }
                return max;
        }
    }
}
