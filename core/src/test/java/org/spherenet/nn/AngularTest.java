package org.spherenet.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.spherenet.nn.ReferenceSphereConv.G;

/**
 * The angular functions g and their margin extensions psi, on NDArrays (float64 and float32) and
 * doubles, against independent float64 formulas (the paper's {@code C_k (1 - e^z) / (1 + e^z)}
 * form for the sigmoids, SphereFace's definition for the cosine psi) and the oracle values of
 * PAPER sections 13 and 15.8.
 */
class AngularTest {

    /** A learnable g is checked per channel over these kappas: k = |kappa| + 0.05. */
    private static final double[] KAPPA = {0.7, -0.3, 1.4, -0.7, 0.02};

    private static final double[] MARGINS = {1, 1.5, 2, 3, 4};

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** One angular function under test with its independent float64 definition. */
    record Fn(String name, G g, double k) {

        boolean learnable() {
            return g == G.LEARNABLE;
        }

        int channels() {
            return learnable() ? KAPPA.length : 1;
        }

        /** The curvature of a channel (sigmoids only). */
        double k(int channel) {
            return learnable() ? Math.abs(KAPPA[channel]) + 0.05 : k;
        }

        /** g(theta) from the formula (any theta >= 0: the sigmoid and linear forms extend). */
        double expected(double theta, int channel) {
            return g.value(theta, k(channel));
        }

        /** psi(theta; m): SphereFace's extension for the cosine, g(m theta) otherwise. */
        double expectedPsi(double theta, double m, int channel) {
            if (g == G.COSINE) {
                double q = Math.floor(m * theta / Math.PI);
                return Math.pow(-1, q) * Math.cos(m * theta) - 2 * q;
            }
            return expected(m * theta, channel);
        }

        Angular angular(NDManager m, DataType type) {
            switch (g) {
                case LINEAR:
                    return Angular.linear();
                case COSINE:
                    return Angular.cosine();
                case SIGMOID:
                    return Angular.sigmoid(k);
                default:
                    return Angular.learnableSigmoid()
                            .withKappa(Numerics.array(m, KAPPA, new Shape(KAPPA.length), type));
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Fn> fns() {
        return List.of(
                new Fn("linear", G.LINEAR, Double.NaN),
                new Fn("cosine", G.COSINE, Double.NaN),
                new Fn("sigmoid(0.1)", G.SIGMOID, 0.1),
                new Fn("sigmoid(0.3)", G.SIGMOID, 0.3),
                new Fn("sigmoid(0.7)", G.SIGMOID, 0.7),
                new Fn("learnable-sigmoid", G.LEARNABLE, Double.NaN));
    }

    static Stream<Arguments> fnsAndTypes() {
        List<Arguments> cases = new ArrayList<>();
        for (Fn fn : fns()) {
            for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                cases.add(Arguments.of(fn, type));
            }
        }
        return cases.stream();
    }

    /**
     * Evaluates g (margin 1 through apply, else applyWithMargin) at the given cosines: an array of
     * shape (n, channels), every channel seeing the same cosines; returns [channel][i].
     */
    private static double[][] evaluate(Fn fn, double[] cos, DataType type, double margin) {
        int c = fn.channels();
        double[] data = new double[cos.length * c];
        for (int i = 0; i < cos.length; i++) {
            for (int j = 0; j < c; j++) {
                data[i * c + j] = cos[i];
            }
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray in = Numerics.array(m, data, new Shape(cos.length, c), type);
            Angular a = fn.angular(m, type);
            NDArray out = margin == 1 ? a.apply(in) : a.applyWithMargin(in, margin);
            assertThat(out.getDataType()).isEqualTo(type);
            assertThat(out.getShape()).isEqualTo(in.getShape());
            double[] v = Numerics.values(out);
            double[][] result = new double[c][cos.length];
            for (int i = 0; i < cos.length; i++) {
                for (int j = 0; j < c; j++) {
                    result[j][i] = v[i * c + j];
                }
            }
            return result;
        }
    }

    private static double[] thetaGrid(int n) {
        double[] theta = new double[n];
        for (int i = 0; i < n; i++) {
            theta[i] = Math.PI * i / (n - 1);
        }
        return theta;
    }

    private static double[] cosOf(double[] theta, DataType type) {
        double[] c = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            c[i] = type == DataType.FLOAT32 ? (float) Math.cos(theta[i]) : Math.cos(theta[i]);
        }
        return c;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fnsAndTypes")
    void endpointsAreOneZeroMinusOne(Fn fn, DataType type) {
        // The clamp before acos (1 - 1e-12 in float64, 1 - 2^-23 in float32) moves theta at the
        // ends by at most sqrt(2 * 1e-12) = 1.5e-6 or sqrt(2 * 1.2e-7) = 4.9e-4 rad; the steepest
        // g at the ends is the linear one (slope 2/pi), so the ends are within 2/pi of that.
        double endTolerance = type == DataType.FLOAT64 ? 1e-6 : 3.2e-4;
        double[][] out = evaluate(fn, new double[] {1, 0, -1}, type, 1);
        for (int ch = 0; ch < fn.channels(); ch++) {
            assertThat(out[ch][0]).as("g(0) channel %d", ch).isCloseTo(1, within(endTolerance));
            assertThat(out[ch][1]).as("g(pi/2) channel %d", ch).isCloseTo(0, within(1e-6));
            assertThat(out[ch][2]).as("g(pi) channel %d", ch).isCloseTo(-1, within(endTolerance));
        }
        if (!fn.learnable()) {
            Angular a = fn.angular(manager, type);
            assertThat(a.value(0)).isCloseTo(1, within(1e-15));
            assertThat(a.value(Math.PI / 2)).isCloseTo(0, within(1e-15));
            assertThat(a.value(Math.PI)).isCloseTo(-1, within(1e-15));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fns")
    void strictlyDecreasingOnFineThetaGrid(Fn fn) {
        double[] theta = thetaGrid(4001);
        double[][] f64 = evaluate(fn, cosOf(theta, DataType.FLOAT64), DataType.FLOAT64, 1);
        double[][] f32 = evaluate(fn, cosOf(theta, DataType.FLOAT32), DataType.FLOAT32, 1);
        for (int ch = 0; ch < fn.channels(); ch++) {
            for (int i = 1; i < theta.length; i++) {
                assertThat(f64[ch][i]).as("float64 ch %d at theta %s", ch, theta[i]).isLessThan(f64[ch][i - 1]);
                // float32 rounds cos to a grid; only ask for non-increase up to one float32 step
                assertThat(f32[ch][i]).as("float32 ch %d at theta %s", ch, theta[i])
                        .isLessThanOrEqualTo(f32[ch][i - 1] + 1.2e-7);
            }
        }
        if (!fn.learnable()) {
            Angular a = fn.angular(manager, DataType.FLOAT64);
            for (int i = 1; i < theta.length; i++) {
                assertThat(a.value(theta[i])).isLessThan(a.value(theta[i - 1]));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fnsAndTypes")
    void ndArrayFormEqualsIndependentFloat64Formula(Fn fn, DataType type) {
        Random random = new Random(17 + fn.name().hashCode());
        double[] cos = new double[500];
        for (int i = 0; i < cos.length; i++) {
            double theta = 0.01 + (Math.PI - 0.02) * random.nextDouble();
            cos[i] = type == DataType.FLOAT32 ? (float) Math.cos(theta) : Math.cos(theta);
        }
        double[][] out = evaluate(fn, cos, type, 1);
        // float32: acos and g each to a few ulp, times the steepest slope (sigmoid(0.1): 5)
        double tolerance = type == DataType.FLOAT64 ? 1e-12 : 5e-6;
        for (int ch = 0; ch < fn.channels(); ch++) {
            for (int i = 0; i < cos.length; i++) {
                double expected = fn.expected(Math.acos(cos[i]), ch);
                assertThat(out[ch][i]).as("ch %d cos %s", ch, cos[i]).isCloseTo(expected, within(tolerance));
            }
        }
        if (!fn.learnable()) {
            Angular a = fn.angular(manager, type);
            for (double c : cos) {
                assertThat(a.value(Math.acos(c))).isCloseTo(fn.expected(Math.acos(c), 0), within(1e-13));
            }
        }
    }

    @Test
    void learnableDoubleFormIsTheInitialCurvature() {
        Fn init = new Fn("sigmoid(0.75)", G.SIGMOID, 0.75);
        for (double theta : thetaGrid(50)) {
            assertThat(Angular.learnableSigmoid().value(theta)).isCloseTo(init.expected(theta, 0), within(1e-13));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fns")
    void marginExtensionIsDecreasingAndMatchesItsDefinitions(Fn fn) {
        double[] theta = thetaGrid(2001);
        double[] cos = cosOf(theta, DataType.FLOAT64);
        double[] cos32 = cosOf(theta, DataType.FLOAT32);
        boolean saturates = fn.g == G.SIGMOID || fn.learnable(); // tanh reaches -1 for large m theta
        for (double m : MARGINS) {
            double[][] psi = evaluate(fn, cos, DataType.FLOAT64, m);
            double[][] psi32 = evaluate(fn, cos32, DataType.FLOAT32, m);
            double[][] viaMargin = m == 1 ? evaluate(fn, cos, DataType.FLOAT64, 1.0000000001) : null;
            for (int ch = 0; ch < fn.channels(); ch++) {
                for (int i = 0; i < theta.length; i++) {
                    double t = Math.acos(cos[i]);
                    assertThat(psi[ch][i]).as("m %s ch %d theta %s", m, ch, t)
                            .isCloseTo(fn.expectedPsi(t, m, ch), within(endAware(cos[i], m)));
                    double t32 = Math.acos(cos32[i]);
                    if (t32 > 0.01 && t32 < Math.PI - 0.01) { // away from the float32 clamp
                        assertThat(psi32[ch][i]).as("float32 m %s ch %d theta %s", m, ch, t32)
                                .isCloseTo(fn.expectedPsi(t32, m, ch), within(2e-5));
                    }
                    if (i > 0) {
                        if (saturates) {
                            assertThat(psi[ch][i]).isLessThanOrEqualTo(psi[ch][i - 1]);
                        } else {
                            assertThat(psi[ch][i]).as("strict m %s theta %s", m, t).isLessThan(psi[ch][i - 1]);
                        }
                    }
                    if (viaMargin != null) {
                        // applyWithMargin near m = 1 agrees with apply (= g)
                        assertThat(viaMargin[ch][i]).isCloseTo(fn.expected(t, ch), within(Math.max(1e-8, endAware(cos[i], 1))));
                    }
                }
                assertThat(psi[ch][theta.length - 1]).isLessThan(psi[ch][0] - 1.9);
                // the double-precision form (it describes kappa = +-0.7 for the learnable g)
                if (!fn.learnable() || Math.abs(KAPPA[ch]) == 0.7) {
                    Angular a = fn.learnable() ? Angular.learnableSigmoid() : fn.angular(manager, DataType.FLOAT64);
                    for (int i = 0; i < theta.length; i++) {
                        double t = Math.acos(cos[i]);
                        assertThat(a.valueWithMargin(t, m)).isCloseTo(psi[ch][i], within(endAware(cos[i], m)));
                        assertThat(a.valueWithMargin(t, m)).isCloseTo(fn.expectedPsi(t, m, ch), within(1e-12));
                    }
                }
            }
        }
    }

    /**
     * The float64 tolerance for psi at a cosine: 1e-10 inside, and at cos = +-1 the effect of the
     * clamp at 1 - 1e-12 (theta moves by sqrt(2e-12) = 1.42e-6) times the steepest slope of psi
     * there (m * 2/pi for linear, m * sin(m pi) <= m for cosine; the sigmoids are flatter).
     */
    private static double endAware(double cos, double m) {
        return Math.abs(cos) >= 1 - 1e-12 ? m * 1.42e-6 * 1.01 : 1e-10;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fnsAndTypes")
    void marginOneIsExactlyG(Fn fn, DataType type) {
        double[] cos = cosOf(thetaGrid(101), type);
        double[][] g = evaluate(fn, cos, type, 1);
        int c = fn.channels();
        try (NDManager m = manager.newSubManager()) {
            double[] data = new double[cos.length * c];
            for (int i = 0; i < data.length; i++) {
                data[i] = cos[i / c];
            }
            NDArray in = Numerics.array(m, data, new Shape(cos.length, c), type);
            double[] psi = Numerics.values(fn.angular(m, type).applyWithMargin(in, 1));
            for (int i = 0; i < data.length; i++) {
                assertThat(psi[i]).isEqualTo(g[i % c][i / c]);
            }
        }
    }

    @ParameterizedTest(name = "m={0}")
    @ValueSource(doubles = {1, 1.5, 2, 3, 4, 2.7})
    void cosinePsiIsSphereFaceDefinition(double m) {
        double[] theta = thetaGrid(1001);
        double[] cos = cosOf(theta, DataType.FLOAT64);
        Fn cosine = fns().get(1);
        double[][] psi = evaluate(cosine, cos, DataType.FLOAT64, m);
        for (int i = 0; i < theta.length; i++) {
            double t = Math.acos(cos[i]);
            int q = (int) Math.floor(m * t / Math.PI);
            double sphereFace = (q % 2 == 0 ? 1 : -1) * Math.cos(m * t) - 2 * q;
            assertThat(psi[0][i]).isCloseTo(sphereFace, within(endAware(cos[i], m)));
            assertThat(Angular.cosine().valueWithMargin(t, m)).isCloseTo(sphereFace, within(1e-12));
        }
        // the range: psi(0) = 1, psi(pi) = (-1)^q cos(m pi) - 2q with q = floor(m)
        int q = (int) Math.floor(m);
        assertThat(Angular.cosine().valueWithMargin(Math.PI, m))
                .isCloseTo((q % 2 == 0 ? 1 : -1) * Math.cos(m * Math.PI) - 2 * q, within(1e-12));
    }

    // --- oracle values ------------------------------------------------------------------------

    /** PAPER 15.8: w, x, cos, linear, sigmoid 0.3, sigmoid 0.75 (learnable at init). */
    static Stream<Arguments> oracles() {
        return Stream.of(
                Arguments.of(new double[] {1, 2, 3}, new double[] {3, 2, 1},
                        new double[] {0.714280612, 0.506491930, 0.877557041, 0.622102733}),
                Arguments.of(new double[] {0.5, -0.5, 0.25, 1}, new double[] {-1, 2, 0.5, 0.1},
                        new double[] {-0.444722676, -0.293395523, -0.652738157, -0.381608090}),
                Arguments.of(new double[] {2, 0}, new double[] {3, 0},
                        new double[] {0.999981945, 0.996174423, 0.999784678, 0.997990001}),
                Arguments.of(new double[] {1, 1}, new double[] {-1, -1},
                        new double[] {-0.999950002, -0.993633935, -0.999639312, -0.996648250}),
                Arguments.of(new double[] {1, 0}, new double[] {0, 0}, new double[] {0, 0, 0, 0}));
    }

    private static double sphereLinear(double[] w, double[] x, Angular g, DataType type, boolean learnable) {
        try (NDManager m = manager.newSubManager()) {
            NDArray wa = Numerics.array(m, w, new Shape(1, w.length), type);
            NDArray xa = Numerics.array(m, x, new Shape(1, x.length), type);
            Angular bound = learnable ? g.withKappa(Numerics.array(m, new double[] {-0.7}, new Shape(1), type)) : g;
            return Numerics.values(SphereLinear.sphereLinear(xa, wa, bound))[0];
        }
    }

    @ParameterizedTest
    @MethodSource("oracles")
    void oracleValuesOfPaperSection15Point8ThroughSphereLinear(double[] w, double[] x, double[] expected) {
        Angular[] gs = {Angular.cosine(), Angular.linear(), Angular.sigmoid(0.3), Angular.learnableSigmoid()};
        for (int i = 0; i < gs.length; i++) {
            double f64 = sphereLinear(w, x, gs[i], DataType.FLOAT64, i == 3);
            assertThat(f64).as("float64 %s", gs[i]).isCloseTo(expected[i], within(1e-9));
            // near-parallel rows (cos 0.99998) lose ~1e-5 of theta to float32's cos rounding
            double f32 = sphereLinear(w, x, gs[i], DataType.FLOAT32, i == 3);
            assertThat(f32).as("float32 %s", gs[i]).isCloseTo(expected[i], within(2e-5));
        }
        // the test's own formulas reproduce the oracle too
        double c = dot(w, x) / Math.sqrt((dot(w, w) + 1e-4) * (dot(x, x) + 1e-4));
        assertThat(c).isCloseTo(expected[0], within(1e-9));
        assertThat(G.LINEAR.value(Math.acos(c), 0)).isCloseTo(expected[1], within(1e-9));
        assertThat(G.SIGMOID.value(Math.acos(c), 0.3)).isCloseTo(expected[2], within(1e-9));
        assertThat(G.SIGMOID.value(Math.acos(c), 0.75)).isCloseTo(expected[3], within(1e-9));
    }

    @Test
    void testVectorOfPaperSection13Item1ThroughSphereLinear() {
        double[] w = {1, 0};
        double[] x = {1, 1};
        assertThat(sphereLinear(w, x, Angular.cosine(), DataType.FLOAT64, false))
                .isCloseTo(0.7070537524, within(1e-10));
        assertThat(sphereLinear(w, x, Angular.linear(), DataType.FLOAT64, false))
                .isCloseTo(0.4999522591, within(1e-10));
        assertThat(sphereLinear(w, x, Angular.sigmoid(0.3), DataType.FLOAT64, false))
                .isCloseTo(0.8732344592, within(1e-10));
        // without the 1e-4 terms cos would be 1/sqrt(2) = 0.70710678: the epsilon is visible
        assertThat(Math.abs(0.7070537524 - Math.sqrt(0.5))).isGreaterThan(5e-5);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    // --- parsing and validation ---------------------------------------------------------------

    @Test
    void parseRoundTripsToString() {
        for (Angular a : new Angular[] {Angular.linear(), Angular.cosine(), Angular.sigmoid(0.3),
                Angular.sigmoid(0.1), Angular.sigmoid(0.7), Angular.sigmoid(1e-5), Angular.learnableSigmoid()}) {
            Angular parsed = Angular.parse(a.toString());
            assertThat(parsed).as(a.toString()).isEqualTo(a);
            assertThat(parsed.toString()).isEqualTo(a.toString());
        }
        assertThat(Angular.parse(" Sigmoid:0.7 ")).isEqualTo(Angular.sigmoid(0.7));
        assertThat(Angular.parse("sigmoid")).isEqualTo(Angular.sigmoid(0.3));
        assertThat(Angular.parse("learnable").isLearnable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tanh", "linearx", "cos", "sigmoid(abc)", "sigmoid()", "sigmoid(0.3",
            "sigmoid(1)(2)", "sigmoid(1:2)", "sigmoid3", "sigmoid(0.3f)", "sigmoid(-0.3)", "sigmoid(0)",
            "sigmoid(NaN)", "sigmoid(1e400)", "sigmoid(Infinity)"})
    void parseRejectsGarbageWithIllegalArgumentException(String name) {
        assertThatThrownBy(() -> Angular.parse(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.0, -0.3, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void sigmoidRejectsNonPositiveOrNonFiniteCurvature(double k) {
        assertThatThrownBy(() -> Angular.sigmoid(k)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unboundLearnableSigmoidThrowsIllegalState() {
        try (NDManager m = manager.newSubManager()) {
            NDArray cos = m.zeros(new Shape(2, 3), DataType.FLOAT64);
            Angular unbound = Angular.learnableSigmoid();
            assertThat(unbound.isLearnable()).isTrue();
            assertThatThrownBy(() -> unbound.apply(cos)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> unbound.applyWithMargin(cos, 2)).isInstanceOf(IllegalStateException.class);
            // binding works and fixed g ignore kappa
            NDArray kappa = m.create(new double[] {0.7, 0.7, 0.7});
            assertThat(unbound.withKappa(kappa).apply(cos).getShape()).isEqualTo(new Shape(2, 3));
            assertThat(Angular.linear().withKappa(kappa)).isSameAs(Angular.linear());
        }
    }
}
