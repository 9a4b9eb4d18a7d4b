package org.spherenet.nn;

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
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spherenet.nn.ReferenceSphereConv.G;

/**
 * SphereNorm: batch independence, the rescaled form {@code gamma_c g(theta) + beta_c} against the
 * float64 reference, the plain form, use before a BatchNorm, and the regulariser seeing its kernel.
 */
class SphereNormTest {

    private static final Shape INPUT = new Shape(4, 3, 6, 6);
    private static NDManager manager;

    @BeforeAll
    static void open() {
        Engine.getInstance().setRandomSeed(42); // the kernels' initialiser
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static SphereNorm.Builder builder() {
        return SphereNorm.builder().setKernelShape(new Shape(3, 3)).setFilters(5).optPadding(new Shape(1, 1));
    }

    private static NDArray forward(Block block, NDManager m, NDArray x, boolean training) {
        return block.forward(new ParameterStore(m, false), new NDList(x), training).singletonOrThrow();
    }

    @Test
    void oneSamplesOutputDoesNotDependOnTheRestOfTheBatch() {
        try (NDManager m = manager.newSubManager()) {
            SphereNorm norm = builder().build();
            norm.initialize(m, DataType.FLOAT32, INPUT);
            BatchNorm batchNorm = BatchNorm.builder().build();
            batchNorm.initialize(m, DataType.FLOAT32, INPUT);
            Random random = new Random(1);
            NDArray a = Numerics.array(m, Numerics.gaussian(random, (int) INPUT.size(), 1), INPUT, DataType.FLOAT32);
            NDArray b = a.duplicate();
            // samples 1..3 replaced by other, larger values
            b.set(new NDIndex("1:"), a.get("1:").mul(-3).add(0.5));
            for (boolean training : new boolean[] {true, false}) {
                float[] first = forward(norm, m, a, training).get(0).toFloatArray();
                float[] second = forward(norm, m, b, training).get(0).toFloatArray();
                assertThat(second).as("SphereNorm, training=%s", training).containsExactly(first);
            }
            // the check can see batch dependence: BatchNorm in training mode fails it
            float[] first = forward(batchNorm, m, a, true).get(0).toFloatArray();
            float[] second = forward(batchNorm, m, b, true).get(0).toFloatArray();
            assertThat(Numerics.relativeError(toDouble(second), toDouble(first))).isGreaterThan(1e-2);
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @ParameterizedTest
    @EnumSource(G.class)
    void rescaledOutputIsGammaTimesSphereConvPlusBeta(G g) {
        Angular angular = SphereConv2dTest.angular(g);
        SphereNorm norm = builder().optAngular(angular).optStride(new Shape(2, 2)).build();
        assertThat(norm.isRescaled()).isTrue();
        try (NDManager m = manager.newSubManager()) {
            norm.initialize(m, DataType.FLOAT32, INPUT);
            double[] gamma = {1.5, -0.5, 2.0, 0.25, 3.0};
            double[] beta = {0.1, -0.2, 0.3, 0.0, -1.0};
            Parameter gammaParam = norm.getParameters().get("gamma");
            Parameter betaParam = norm.getParameters().get("beta");
            assertThat(Numerics.values(gammaParam.getArray())).containsOnly(1.0);
            assertThat(Numerics.values(betaParam.getArray())).containsOnly(0.0);
            gammaParam.getArray().set(toFloat(gamma));
            betaParam.getArray().set(toFloat(beta));

            Random random = new Random(2 + g.ordinal());
            double[] x = Numerics.gaussian(random, (int) INPUT.size(), 1);
            NDArray out = forward(norm, m, Numerics.array(m, x, INPUT, DataType.FLOAT32), false);
            double[] w = Numerics.values(norm.getSphereConv().getWeight().getArray());
            double[] kappa = {0.7, 0.7, 0.7, 0.7, 0.7};
            ReferenceSphereConv ref = new ReferenceSphereConv(4, 3, 6, 6, 5, 3, 2, 1);
            double[] sphere = ref.forward(x, w, g, 0.3, kappa);
            double[] expected = new double[sphere.length];
            for (int n = 0; n < sphere.length; n++) {
                int c = (n / (ref.outH * ref.outW)) % ref.outC;
                expected[n] = gamma[c] * sphere[n] + beta[c];
            }
            assertThat(out.getShape()).isEqualTo(new Shape(4, 5, ref.outH, ref.outW));
            assertThat(Numerics.relativeError(Numerics.values(out), expected)).isLessThan(1e-5);
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    void plainVariantHasNoGammaBetaAndEqualsSphereConv2d() {
        SphereNorm norm = builder().optRescaled(false).optAngular(Angular.sigmoid(0.3)).build();
        assertThat(norm.isRescaled()).isFalse();
        try (NDManager m = manager.newSubManager()) {
            norm.initialize(m, DataType.FLOAT32, INPUT);
            assertThat(norm.getParameters().keys()).noneMatch(k -> k.contains("gamma") || k.contains("beta"));
            assertThat(norm.getParameters().keys()).hasSize(1);
            NDArray x = Numerics.array(m, Numerics.gaussian(new Random(5), (int) INPUT.size(), 1), INPUT, DataType.FLOAT32);
            NDArray out = forward(norm, m, x, true);
            NDArray w = norm.getSphereConv().getWeight().getArray();
            NDArray direct = SphereConv2d.sphereConv2d(x, w, Angular.sigmoid(0.3), new Shape(1, 1), new Shape(1, 1));
            assertThat(out.toFloatArray()).containsExactly(direct.toFloatArray());
            ReferenceSphereConv ref = new ReferenceSphereConv(4, 3, 6, 6, 5, 3, 1, 1);
            double[] expected = ref.forward(Numerics.values(x), Numerics.values(w), G.SIGMOID, 0.3, null);
            assertThat(Numerics.relativeError(Numerics.values(out), expected)).isLessThan(1e-5);
        }
    }

    @Test
    void sphereNormDefaultsToCosine() {
        assertThat(builder().build().getSphereConv().getAngular()).isEqualTo(Angular.cosine());
    }

    @Test
    void sphereNormThenBatchNormRunsForwardAndBackward() {
        SequentialBlock net = new SequentialBlock()
                .add(builder().build())
                .add(BatchNorm.builder().build());
        try (NDManager m = manager.newSubManager()) {
            net.initialize(m, DataType.FLOAT32, INPUT);
            Random random = new Random(4);
            NDArray x = Numerics.array(m, Numerics.gaussian(random, (int) INPUT.size(), 1), INPUT, DataType.FLOAT32);
            x.setRequiresGradient(true);
            Shape outShape = new Shape(4, 5, 6, 6);
            NDArray upstream =
                    Numerics.array(m, Numerics.gaussian(random, (int) outShape.size(), 1), outShape, DataType.FLOAT32);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = forward(net, m, x, true);
                assertThat(out.getShape()).isEqualTo(new Shape(4, 5, 6, 6));
                // training-mode BatchNorm: per-channel mean 0 over (batch, h, w)
                assertThat(Numerics.values(out.sum(new int[] {0, 2, 3}).div(4 * 6 * 6).abs().max())[0]).isLessThan(1e-4);
                collector.backward(out.mul(upstream).sum());
            }
            assertFiniteNonZero(x.getGradient(), "d input");
            int trained = 0;
            double weightGrad = Numerics.values(
                    net.getParameters().get("01SphereNorm_01sphereConv_weight").getArray().getGradient().abs().max())[0];
            for (var p : net.getParameters()) {
                if (!p.getValue().requiresGradient()) {
                    continue; // BatchNorm's running statistics
                }
                trained++;
                NDArray grad = p.getValue().getArray().getGradient();
                assertFiniteNonZero(grad, p.getKey());
            }
            // SphereNorm weight, gamma, beta; BatchNorm gamma, beta
            assertThat(trained).isEqualTo(5);
            // a training-mode BatchNorm undoes any per-channel affine map before it: SphereNorm's
            // beta gets no gradient (up to rounding), its gamma only through BatchNorm's epsilon
            double gammaGrad = Numerics.values(
                    net.getParameters().get("01SphereNorm_gamma").getArray().getGradient().abs().max())[0];
            double betaGrad = Numerics.values(
                    net.getParameters().get("01SphereNorm_beta").getArray().getGradient().abs().max())[0];
            assertThat(gammaGrad).isLessThan(1e-2 * weightGrad);
            assertThat(betaGrad).isLessThan(1e-4 * weightGrad);
        }
    }

    private static void assertFiniteNonZero(NDArray grad, String name) {
        double[] v = Numerics.values(grad);
        assertThat(Numerics.allFinite(v)).as(name + " finite").isTrue();
        assertThat(Numerics.relativeError(v, new double[v.length])).as(name + " non-zero").isGreaterThan(0);
    }

    @Test
    void orthogonalityRegularizerFindsTheInnerKernelExactlyOnce() {
        SphereNorm norm = builder().build();
        List<Parameter> alone = OrthogonalityRegularizer.sphereKernels(norm);
        assertThat(alone).containsExactly(norm.getSphereConv().getWeight());
        SequentialBlock net = new SequentialBlock().add(norm).add(BatchNorm.builder().build());
        assertThat(OrthogonalityRegularizer.sphereKernels(net)).containsExactly(norm.getSphereConv().getWeight());
    }
}
