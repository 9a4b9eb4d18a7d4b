package org.spherenet.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
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
import org.spherenet.loss.LossNumerics.Fn;
import org.spherenet.nn.Angular;

/**
 * The angular classifier head and GA-Softmax (W-Softmax, margins, A-Softmax with SphereFace's
 * annealing) against float64 computations written from DESIGN section 4 and SphereFace's Caffe
 * layer.
 */
class GaSoftmaxLossTest {

    private static final int BATCH = 6;
    private static final int CLASSES = 5;
    private static final Shape FEATURE_SHAPE = new Shape(BATCH, 3, 2, 2);
    private static final int FEATURES = 12;
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

    static List<Fn> fns() {
        return List.of(Fn.linear(), Fn.cosine(), Fn.sigmoid(0.1), Fn.sigmoid(0.3), Fn.sigmoid(0.7));
    }

    static Angular angular(Fn fn) {
        switch (fn.kind()) {
            case "linear":
                return Angular.linear();
            case "cosine":
                return Angular.cosine();
            default:
                return Angular.sigmoid(fn.k());
        }
    }

    /** Seeded data: features (BATCH, 3, 2, 2), class weights (CLASSES, 12), labels. */
    private record Data(double[] f, double[] w, int[] labels) {

        static Data random(long seed) {
            Random random = new Random(seed);
            int[] labels = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                labels[i] = random.nextInt(CLASSES);
            }
            return new Data(
                    LossNumerics.gaussian(random, BATCH * FEATURES, 2),
                    LossNumerics.gaussian(random, CLASSES * FEATURES, 0.5),
                    labels);
        }

        double[] cosines() {
            return LossNumerics.cosines(f, w, BATCH, CLASSES, FEATURES);
        }

        double[] norms() {
            double[] n = new double[BATCH];
            for (int i = 0; i < BATCH; i++) {
                n[i] = LossNumerics.norm(LossNumerics.row(f, i, FEATURES));
            }
            return n;
        }

        NDArray features(NDManager m, DataType type) {
            return m.create(f, FEATURE_SHAPE).toType(type, false);
        }

        NDArray weights(NDManager m, DataType type) {
            return m.create(w, new Shape(CLASSES, FEATURES)).toType(type, false);
        }

        NDArray labels(NDManager m) {
            return m.create(labels);
        }
    }

    private static double[] values(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        assertThat(a).hasSameSizeAs(b);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    // --- the classifier head ------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT64", "FLOAT32"})
    void angularClassifierOutputsCosinesAndEpsilonNorms(String typeName) {
        DataType type = DataType.valueOf(typeName);
        double tolerance = type == DataType.FLOAT64 ? 1e-13 : 1e-6;
        Data d = Data.random(1);
        try (NDManager m = manager.newSubManager()) {
            NDList out = AngularClassifier.angularClassifier(d.features(m, type), d.weights(m, type));
            assertThat(out).hasSize(2);
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(BATCH, CLASSES));
            assertThat(out.get(1).getShape()).isEqualTo(new Shape(BATCH, 1));
            assertThat(maxAbsDiff(values(out.get(0)), d.cosines())).isLessThan(tolerance);
            double[] norms = d.norms();
            assertThat(maxAbsDiff(values(out.get(1)), norms)).isLessThan(tolerance * 10);
            // |f| cos(theta_j) is the authors' W-Softmax logit <f, w_j> / sqrt(|w_j|^2 + 1e-4)
            double[] product = values(out.get(1).mul(out.get(0)));
            double[] authors = new double[BATCH * CLASSES];
            for (int i = 0; i < BATCH; i++) {
                for (int j = 0; j < CLASSES; j++) {
                    double[] wj = LossNumerics.row(d.w, j, FEATURES);
                    authors[i * CLASSES + j] = LossNumerics.dot(LossNumerics.row(d.f, i, FEATURES), wj)
                            / LossNumerics.norm(wj);
                }
            }
            assertThat(maxAbsDiff(product, authors)).isLessThan(tolerance * 10);
        }
    }

    @Test
    void angularClassifierBlockMatchesItsFunctionalForm() {
        AngularClassifier head = AngularClassifier.of(CLASSES);
        Data d = Data.random(2);
        try (NDManager m = manager.newSubManager()) {
            head.initialize(m, DataType.FLOAT32, FEATURE_SHAPE);
            assertThat(head.getWeight().getArray().getShape()).isEqualTo(new Shape(CLASSES, FEATURES));
            assertThat(head.getParameters().keys()).containsExactly("weight");
            NDArray x = d.features(m, DataType.FLOAT32);
            NDList out = head.forward(new ParameterStore(m, false), new NDList(x), false);
            NDList direct = AngularClassifier.angularClassifier(x, head.getWeight().getArray());
            assertThat(out.get(0).toFloatArray()).containsExactly(direct.get(0).toFloatArray());
            assertThat(out.get(1).toFloatArray()).containsExactly(direct.get(1).toFloatArray());
            Shape[] shapes = head.getOutputShapes(new Shape[] {FEATURE_SHAPE});
            assertThat(shapes).containsExactly(new Shape(BATCH, CLASSES), new Shape(BATCH, 1));
        }
        assertThatThrownBy(() -> AngularClassifier.of(1)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- logits -------------------------------------------------------------------------------

    @Test
    void cosineWithMarginOneIsExactlyWSoftmaxAndItsLossIsPlainCrossEntropy() {
        Data d = Data.random(3);
        try (NDManager m = manager.newSubManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                NDList pred = AngularClassifier.angularClassifier(d.features(m, type), d.weights(m, type));
                NDArray logits = GaSoftmaxLoss.logits(pred.get(0), pred.get(1), d.labels(m), Angular.cosine(), 1);
                double[] wSoftmax = values(pred.get(1).mul(pred.get(0)));
                assertThat(values(logits)).as("%s", type).containsExactly(wSoftmax);
            }
            NDList pred = AngularClassifier.angularClassifier(
                    d.features(m, DataType.FLOAT64), d.weights(m, DataType.FLOAT64));
            double loss = GaSoftmaxLoss.wSoftmax().evaluate(new NDList(d.labels(m)), pred).toType(DataType.FLOAT64, false).getDouble();
            double[] logits = LossNumerics.logits(d.cosines(), d.norms(), d.labels, Fn.cosine(), 1, 0);
            assertThat(loss).isCloseTo(LossNumerics.crossEntropy(logits, d.labels, 0, 0), within(1e-12));
        }
    }

    static Stream<Arguments> fnsAndMargins() {
        List<Arguments> cases = new ArrayList<>();
        for (Fn fn : fns()) {
            for (double m : MARGINS) {
                cases.add(Arguments.of(fn, m));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} m={1}")
    @MethodSource("fnsAndMargins")
    void marginLowersOnlyTheTrueClassLogitAndMatchesFloat64Psi(Fn fn, double margin) {
        for (long seed = 10; seed < 14; seed++) {
            Data d = Data.random(seed);
            try (NDManager m = manager.newSubManager()) {
                NDArray cos = m.create(d.cosines(), new Shape(BATCH, CLASSES));
                NDArray norms = m.create(d.norms(), new Shape(BATCH, 1));
                double[] with = values(GaSoftmaxLoss.logits(cos, norms, d.labels(m), angular(fn), margin));
                double[] without = values(GaSoftmaxLoss.logits(cos, norms, d.labels(m), angular(fn), 1));
                double[] expected = LossNumerics.logits(d.cosines(), d.norms(), d.labels, fn, margin, 0);
                for (int i = 0; i < BATCH; i++) {
                    for (int j = 0; j < CLASSES; j++) {
                        int n = i * CLASSES + j;
                        if (j == d.labels[i]) {
                            assertThat(with[n]).as("true logit").isLessThanOrEqualTo(without[n] + 1e-12);
                        } else {
                            assertThat(with[n]).as("other logit").isEqualTo(without[n]);
                        }
                        assertThat(with[n]).isCloseTo(expected[n], within(1e-9));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} m={1}")
    @MethodSource("fnsAndMargins")
    void lossAndGradientsFiniteForParallelAndAntiParallelFeatures(Fn fn, double margin) {
        Data d = Data.random(20);
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            for (double sign : new double[] {1, -1}) {
                // every feature exactly (anti-)parallel to its class weight: 4 w_y is exact in float32
                double[] f = new double[BATCH * FEATURES];
                for (int i = 0; i < BATCH; i++) {
                    for (int k = 0; k < FEATURES; k++) {
                        f[i * FEATURES + k] = sign * 4 * d.w[d.labels[i] * FEATURES + k];
                    }
                }
                GaSoftmaxLoss loss = new GaSoftmaxLoss(angular(fn), margin, null, 0.01, 1e-4);
                try (NDManager m = manager.newSubManager()) {
                    NDArray x = m.create(f, FEATURE_SHAPE).toType(type, false);
                    NDArray w = d.weights(m, type);
                    x.setRequiresGradient(true);
                    w.setRequiresGradient(true);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDList pred = AngularClassifier.angularClassifier(x, w);
                        double[] cos = values(pred.get(0));
                        for (int i = 0; i < BATCH; i++) {
                            assertThat(sign * cos[i * CLASSES + d.labels[i]]).isGreaterThan(0.9999);
                        }
                        NDArray value = loss.evaluate(new NDList(d.labels(m)), pred);
                        assertThat(Double.isFinite(value.toType(DataType.FLOAT64, false).getDouble())).as("%s sign %s loss", type, sign).isTrue();
                        collector.backward(value);
                    }
                    assertFinite(values(x.getGradient()), type + " d features");
                    assertFinite(values(w.getGradient()), type + " d weights");
                }
            }
        }
    }

    private static void assertFinite(double[] v, String what) {
        for (double d : v) {
            assertThat(Double.isFinite(d)).as(what).isTrue();
        }
    }

    // --- A-Softmax ----------------------------------------------------------------------------

    @Test
    void aSoftmaxTruePsiMatchesSphereFaceCaffeComputation() {
        int n = 2001;
        double[] cos = new double[n * 2];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            cos[2 * i] = Math.cos(Math.PI * i / (n - 1));
            cos[2 * i + 1] = 0.3;
        }
        double[] psi;
        try (NDManager m = manager.newSubManager()) {
            NDArray c = m.create(cos, new Shape(n, 2));
            NDArray ones = m.ones(new Shape(n, 1), DataType.FLOAT64);
            psi = values(GaSoftmaxLoss.logits(c, ones, m.create(labels), Angular.cosine(), 4));
        }
        for (int i = 0; i < n; i++) {
            double c = cos[2 * i];
            // margin_inner_product_layer: cos(4 theta) by Chebyshev, k by comparing with cos(j pi / 4)
            double cos4 = 8 * Math.pow(c, 4) - 8 * c * c + 1;
            int k = 0;
            for (int j = 1; j <= 3; j++) {
                if (c < Math.cos(j * Math.PI / 4)) {
                    k++;
                }
            }
            double expected = (k % 2 == 0 ? 1 : -1) * cos4 - 2 * k;
            // Caffe's own sign form: sign_3 = sign(c) sign(2c^2 - 1), sign_4 = 2 sign(c) + sign_3 - 3
            double sign0 = Math.signum(c);
            double sign3 = sign0 * Math.signum(2 * c * c - 1);
            double caffe = sign3 * cos4 + 2 * sign0 + sign3 - 3;
            if (Math.abs(c) > 1e-9 && Math.abs(2 * c * c - 1) > 1e-9) {
                assertThat(caffe).isCloseTo(expected, within(1e-12));
            }
            assertThat(psi[2 * i]).as("theta %s", Math.acos(c)).isCloseTo(expected, within(1e-9));
            assertThat(psi[2 * i + 1]).isEqualTo(0.3);
        }
    }

    @Test
    void sphereFaceAnnealingScheduleAndAnnealedTargetLogit() {
        MarginAnnealing schedule = MarginAnnealing.sphereFace();
        for (long iter = 0; iter < 3000; iter++) {
            assertThat(schedule.lambda(iter)).isCloseTo(Math.max(5, 1000 / (1 + 0.12 * iter)), within(1e-12));
        }
        assertThat(schedule.lambda(0)).isEqualTo(1000);
        assertThat(schedule.lambda(1_000_000)).isEqualTo(5);

        Data d = Data.random(30);
        for (Fn fn : fns()) {
            for (double lambda : new double[] {1000, 37.5, 5, 0.5}) {
                try (NDManager m = manager.newSubManager()) {
                    NDArray cos = m.create(d.cosines(), new Shape(BATCH, CLASSES));
                    NDArray norms = m.create(d.norms(), new Shape(BATCH, 1));
                    double[] logits = values(GaSoftmaxLoss.logits(cos, norms, d.labels(m), angular(fn), 4, lambda));
                    double[] expected = LossNumerics.logits(d.cosines(), d.norms(), d.labels, fn, 4, lambda);
                    assertThat(maxAbsDiff(logits, expected)).as("%s lambda %s", fn, lambda).isLessThan(1e-9);
                }
            }
        }

        // A-Softmax's loss at an iteration uses lambda(iteration)
        GaSoftmaxLoss aSoftmax = GaSoftmaxLoss.aSoftmax();
        assertThat(aSoftmax.getMargin()).isEqualTo(4);
        try (NDManager m = manager.newSubManager()) {
            NDList pred = AngularClassifier.angularClassifier(
                    d.features(m, DataType.FLOAT64), d.weights(m, DataType.FLOAT64));
            for (long iter : new long[] {0, 10, 100, 5000}) {
                aSoftmax.setIteration(iter);
                double loss = aSoftmax.evaluate(new NDList(d.labels(m)), pred).toType(DataType.FLOAT64, false).getDouble();
                double[] logits = LossNumerics.logits(
                        d.cosines(), d.norms(), d.labels, Fn.cosine(), 4, schedule.lambda(iter));
                assertThat(loss).as("iteration %d", iter)
                        .isCloseTo(LossNumerics.crossEntropy(logits, d.labels, 0, 0), within(1e-9));
            }
        }
    }

    // --- loss values --------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} m={1}")
    @MethodSource("fnsAndMargins")
    void lossEqualsHandCrossEntropyWithSmoothingAndProbabilityFloor(Fn fn, double margin) {
        Data d = Data.random(40);
        GaSoftmaxLoss loss = new GaSoftmaxLoss(angular(fn), margin, null, 0.01, 1e-4);
        double[] logits = LossNumerics.logits(d.cosines(), d.norms(), d.labels, fn, margin, 0);
        double expected = LossNumerics.crossEntropy(logits, d.labels, 0.01, 1e-4);
        double plain = LossNumerics.crossEntropy(logits, d.labels, 0, 0);
        try (NDManager m = manager.newSubManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                NDList pred = AngularClassifier.angularClassifier(d.features(m, type), d.weights(m, type));
                double value = loss.evaluate(new NDList(d.labels(m)), pred).toType(DataType.FLOAT64, false).getDouble();
                assertThat(value).as("%s", type).isCloseTo(expected, within(type == DataType.FLOAT64 ? 1e-9 : 1e-4));
                double gaPlain = GaSoftmaxLoss.gaSoftmax(angular(fn), margin)
                        .evaluate(new NDList(d.labels(m)), pred).toType(DataType.FLOAT64, false).getDouble();
                assertThat(gaPlain).isCloseTo(plain, within(type == DataType.FLOAT64 ? 1e-9 : 1e-4));
            }
        }
        assertThat(Math.abs(expected - plain)).as("the switches matter").isGreaterThan(1e-4);
    }

    @Test
    void invalidArgumentsAreRejected() {
        for (double m : new double[] {0.99, 0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> GaSoftmaxLoss.gaSoftmax(Angular.cosine(), m))
                    .as("margin %s", m).isInstanceOf(IllegalArgumentException.class);
        }
        for (double s : new double[] {1, 1.5, -0.01, Double.NaN}) {
            assertThatThrownBy(() -> new GaSoftmaxLoss(Angular.linear(), 1, null, s, 0))
                    .as("smoothing %s", s).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new SoftmaxLoss(s, 0)).isInstanceOf(IllegalArgumentException.class);
        }
        for (double floor : new double[] {-1e-4, 1, Double.NaN}) {
            assertThatThrownBy(() -> new GaSoftmaxLoss(Angular.linear(), 1, null, 0, floor))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new SoftmaxLoss(0, floor)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> GaSoftmaxLoss.gaSoftmax(Angular.learnableSigmoid(), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MarginAnnealing(1000, -0.12, 1, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MarginAnnealing(1000, 0.12, 1, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
