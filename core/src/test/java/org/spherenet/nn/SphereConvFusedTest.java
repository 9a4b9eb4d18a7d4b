package org.spherenet.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused SphereConv ({@link SphereKernels}, {@link FusedBackward}) against the same operator
 * recorded by autograd, which SphereConv2dTest and SphereConvGradientCheckTest check against
 * float64 and finite differences: values and every gradient agree to the last bits (asin comes
 * from Sleef here and from MKL in libtorch, both within about one ulp, and the channels are summed
 * in another order), and in float32 the fused values are as close to float64 as autograd's. Cases:
 * each fixed angular function, two stacked layers whose input comes from below (so the input cut
 * is crossed), an image input (no cut), an input shared by two layers, cosines at the clamp, a
 * frozen kernel; and the kernels of the patch norm (for kernels, strides and paddings as
 * WindowSumTest's) and of the unit kernels on their own.
 */
class SphereConvFusedTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Runs only where the kernels were built; bin/test requires them (SPHERENET_REQUIRE_FUSED). */
    private static void assumeLoaded() {
        if ("1".equals(System.getenv("SPHERENET_REQUIRE_FUSED"))) {
            assertThat(SphereKernels.loaded()).as("fused SphereConv kernels loaded").isTrue();
        }
        Assumptions.assumeTrue(SphereKernels.loaded(), "fused kernels not built here");
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        Angular[] functions = {Angular.linear(), Angular.cosine(), Angular.sigmoid(0.3),
            Angular.sigmoid(0.1)};
        // kernel, stride, padding, size (odd sizes leave tails shorter than a vector)
        int[][] shapes = {{3, 1, 1, 28}, {3, 2, 1, 9}, {1, 1, 0, 5}, {5, 1, 2, 7}};
        for (Angular g : functions) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                for (int[] s : shapes) {
                    cases.add(Arguments.of(g, type, s[0], s[1], s[2], s[3]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} kernel {2} stride {3} padding {4} size {5}")
    @MethodSource("cases")
    void twoLayersMatchAutograd(
            Angular g, DataType type, int kernel, int stride, int padding, int size) {
        assumeLoaded();
        Random random = new Random(kernel * 31L + stride * 7L + size);
        try (NDManager m = manager.newSubManager()) {
            NDArray x0 = gaussian(m, random, new Shape(3, 4, size, size), type);
            NDArray w1 = gaussian(m, random, new Shape(6, 4, kernel, kernel), type);
            NDArray w2 = gaussian(m, random, new Shape(5, 6, 3, 3), type);
            Shape s = new Shape(stride, stride);
            Shape p = new Shape(padding, padding);
            Network net = (x, w) -> {
                NDArray below = x[0].mul(Constant.like(x[0], 1.5)).tanh(); // a graph under the cut
                NDArray y1 = SphereConv2d.sphereConv2d(below, w[0], g, s, p);
                return SphereConv2d.sphereConv2d(Activation.relu(y1), w[1], g,
                        new Shape(1, 1), new Shape(1, 1));
            };
            assertSame(net, new NDArray[] {x0}, new NDArray[] {w1, w2}, random);
            if (type == DataType.FLOAT32) {
                assertAsAccurate(net, new NDArray[] {x0}, new NDArray[] {w1, w2}, random);
            }
        }
    }

    static Stream<Arguments> windows() {
        int[][] kernels = {{1, 1}, {3, 3}, {5, 3}, {2, 4}};
        int[][] strides = {{1, 1}, {2, 2}, {2, 1}};
        int[][] paddings = {{0, 0}, {1, 1}, {2, 1}, {3, 3}}; // up to more than half the kernel
        List<Arguments> cases = new ArrayList<>();
        for (int[] k : kernels) {
            for (int[] s : strides) {
                for (int[] p : paddings) {
                    for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                        cases.add(Arguments.of(new Shape(k[0], k[1]), new Shape(s[0], s[1]),
                                new Shape(p[0], p[1]), type));
                    }
                }
            }
        }
        return cases.stream();
    }

    /** The patch norm's kernel, forward and backward, against SphereConv2d.patchNorm. */
    @ParameterizedTest(name = "kernel {0} stride {1} padding {2} {3}")
    @MethodSource("windows")
    void patchNormMatchesAutograd(Shape kernel, Shape stride, Shape padding, DataType type) {
        assumeLoaded();
        Random random = new Random(kernel.get(0) * 31 + stride.get(1) * 7 + padding.get(0));
        try (NDManager m = manager.newSubManager()) {
            // 3 samples of 5 channels, 7x6: odd sizes, and more than one thread's share
            NDArray x = gaussian(m, random, new Shape(3, 5, 7, 6), type);
            NDArray upstream;
            double[] expected;
            double[] expectedGradient;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray leaf = x.duplicate();
                leaf.setRequiresGradient(true);
                NDArray pn = SphereConv2d.patchNorm(leaf, kernel, stride, padding);
                upstream = gaussian(m, random, pn.getShape(), type);
                collector.backward(pn.mul(upstream).sum());
                expected = values(pn);
                expectedGradient = values(leaf.getGradient());
            }
            NDArray pn = SphereKernels.patchNorm(x, kernel, stride, padding);
            NDArray gradient = SphereKernels.patchNormBackward(x, pn, upstream, kernel, stride,
                    padding);
            double tolerance = type == DataType.FLOAT32 ? 2e-6 : 4e-15;
            assertThat(pn.getShape()).isEqualTo(
                    SphereConv2d.outputShape(x.getShape(), 1, kernel, stride, padding));
            assertThat(maxDifference(values(pn), expected)).as("norms")
                    .isLessThanOrEqualTo(tolerance * maxAbs(expected));
            assertThat(maxDifference(values(gradient), expectedGradient)).as("gradient")
                    .isLessThanOrEqualTo(tolerance * maxAbs(expectedGradient));
        }
    }

    static Stream<Arguments> kernelShapes() {
        List<Arguments> cases = new ArrayList<>();
        for (Shape shape : new Shape[] {new Shape(6, 4, 3, 3), new Shape(1, 1, 1, 1),
            new Shape(5, 3, 5, 3), new Shape(3, 16, 1, 1)}) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                cases.add(Arguments.of(shape, type));
            }
        }
        return cases.stream();
    }

    /**
     * The unit kernels' own kernel, forward and backward, against {@code w / Hypersphere.norm(w)}
     * through autograd; the first filter is all zeros (its norm is sqrt(1e-4)).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kernelShapes")
    void unitKernelsMatchAutograd(Shape shape, DataType type) {
        assumeLoaded();
        Random random = new Random(shape.size());
        try (NDManager m = manager.newSubManager()) {
            double[] v = new double[(int) shape.size()];
            for (int i = (int) (shape.size() / shape.get(0)); i < v.length; i++) {
                v[i] = random.nextGaussian();
            }
            NDArray w = m.create(v, shape).toType(type, false);
            NDArray upstream = gaussian(m, random, shape, type);
            double[] expected;
            double[] expectedGradient;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray leaf = w.duplicate();
                leaf.setRequiresGradient(true);
                NDArray unit = leaf.div(Hypersphere.norm(leaf, 1, 2, 3));
                collector.backward(unit.mul(upstream).sum());
                expected = values(unit);
                expectedGradient = values(leaf.getGradient());
            }
            NDArray[] unit = SphereKernels.unitKernels(w);
            NDArray gradient = SphereKernels.unitKernelsBackward(w, unit[1], upstream);
            double tolerance = type == DataType.FLOAT32 ? 2e-6 : 4e-15;
            assertThat(maxDifference(values(unit[0]), expected)).as("unit kernels")
                    .isLessThanOrEqualTo(tolerance * maxAbs(expected));
            assertThat(maxDifference(values(gradient), expectedGradient)).as("gradient")
                    .isLessThanOrEqualTo(tolerance * maxAbs(expectedGradient));
        }
    }

    @Test
    void aFrozenKernelStopsNoOtherGradient() {
        assumeLoaded();
        Random random = new Random(3);
        try (NDManager m = manager.newSubManager()) {
            NDArray x0 = gaussian(m, random, new Shape(2, 3, 6, 6), DataType.FLOAT64);
            NDArray frozen = gaussian(m, random, new Shape(4, 3, 3, 3), DataType.FLOAT64);
            NDArray w = gaussian(m, random, new Shape(4, 4, 3, 3), DataType.FLOAT64);
            Shape one = new Shape(1, 1);
            // the first layer's kernel needs no gradient; the input below it and w do
            Network net = (x, k) -> SphereConv2d.sphereConv2d(
                    SphereConv2d.sphereConv2d(x[0].tanh(), frozen, Angular.linear(), one, one),
                    k[0], Angular.linear(), one, one);
            assertSame(net, new NDArray[] {x0}, new NDArray[] {w}, random);
        }
    }

    @Test
    void aTransposedInputAndASingleSampleMatchAutograd() {
        assumeLoaded();
        Random random = new Random(7);
        for (int batch : new int[] {1, 3}) {
            try (NDManager m = manager.newSubManager()) {
                NDArray x0 = gaussian(m, random, new Shape(batch, 3, 7, 5), DataType.FLOAT64);
                NDArray w = gaussian(m, random, new Shape(4, 3, 3, 3), DataType.FLOAT64);
                Shape one = new Shape(1, 1);
                // a view with swapped spatial axes: the kernels read a contiguous copy of it, and
                // the gradient reaches the leaf through the view
                Network net = (x, k) -> SphereConv2d.sphereConv2d(
                        x[0].tanh().transpose(0, 1, 3, 2), k[0], Angular.sigmoid(0.3), one, one);
                assertSame(net, new NDArray[] {x0}, new NDArray[] {w}, random);
            }
        }
    }

    @Test
    void imageInputAndSharedInputMatchAutograd() {
        assumeLoaded();
        Random random = new Random(5);
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            try (NDManager m = manager.newSubManager()) {
                NDArray image = gaussian(m, random, new Shape(2, 3, 8, 8), type);
                NDArray w1 = gaussian(m, random, new Shape(4, 3, 3, 3), type);
                NDArray w2 = gaussian(m, random, new Shape(4, 4, 3, 3), type);
                NDArray w3 = gaussian(m, random, new Shape(4, 4, 1, 1), type);
                Shape one = new Shape(1, 1);
                Network net = (x, w) -> {
                    // the image needs no gradient; y1 feeds two layers (a graph shared by two cuts)
                    NDArray y1 = SphereConv2d.sphereConv2d(image, w[0], Angular.linear(), one, one);
                    NDArray a = SphereConv2d.sphereConv2d(y1, w[1], Angular.sigmoid(0.3), one, one);
                    NDArray b = SphereConv2d.sphereConv2d(y1, w[2], Angular.linear(), one,
                            new Shape(0, 0));
                    return a.add(b);
                };
                assertSame(net, new NDArray[0], new NDArray[] {w1, w2, w3}, random);
            }
        }
    }

    @Test
    void aGraphBelowTwoFusedLayersMustBeCutWhereItBranches() {
        assumeLoaded();
        Random random = new Random(11);
        try (NDManager m = manager.newSubManager()) {
            NDArray x0 = gaussian(m, random, new Shape(2, 3, 6, 6), DataType.FLOAT64);
            NDArray w1 = gaussian(m, random, new Shape(4, 3, 3, 3), DataType.FLOAT64);
            NDArray w2 = gaussian(m, random, new Shape(4, 3, 3, 3), DataType.FLOAT64);
            Shape one = new Shape(1, 1);
            // tanh(x) feeds two fused layers: walked once per layer, its saved output is gone
            // the second time
            Network uncut = (x, w) -> {
                NDArray below = x[0].tanh();
                return SphereConv2d.sphereConv2d(below, w[0], Angular.linear(), one, one)
                        .add(SphereConv2d.sphereConv2d(below, w[1], Angular.linear(), one, one));
            };
            assertThatThrownBy(() -> run(uncut, new NDArray[] {x0}, new NDArray[] {w1, w2}, 1,
                    true))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("FusedBackward.cut");
            Network cut = (x, w) -> {
                NDArray below = FusedBackward.cut(x[0].tanh());
                return SphereConv2d.sphereConv2d(below, w[0], Angular.linear(), one, one)
                        .add(SphereConv2d.sphereConv2d(below, w[1], Angular.linear(), one, one));
            };
            assertSame(cut, new NDArray[] {x0}, new NDArray[] {w1, w2}, random);
        }
    }

    @Test
    void cosinesAtTheClampMatchAutograd() {
        assumeLoaded();
        // a patch parallel to its kernel: cos rounds to 1 in float32, where the clamp acts and
        // passes no gradient
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            try (NDManager m = manager.newSubManager()) {
                NDArray x0 = m.create(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, new Shape(1, 2, 2, 2))
                        .toType(type, false).mul(100);
                NDArray w = m.create(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, new Shape(1, 2, 2, 2))
                        .toType(type, false);
                Network net = (x, k) -> SphereConv2d.sphereConv2d(x[0].mul(Constant.like(x[0], 1)),
                        k[0], Angular.linear(), new Shape(1, 1), new Shape(0, 0));
                assertSame(net, new NDArray[] {x0}, new NDArray[] {w}, new Random(1));
            }
        }
    }

    @Test
    void evaluationWithoutAGradientGivesTheSameValues() {
        assumeLoaded();
        Random random = new Random(9);
        NDArray x = gaussian(manager, random, new Shape(2, 3, 7, 7), DataType.FLOAT32);
        NDArray w = gaussian(manager, random, new Shape(4, 3, 3, 3), DataType.FLOAT32);
        NDArray evaluated = SphereConv2d.sphereConv2d(x, w, Angular.sigmoid(0.3),
                new Shape(1, 1), new Shape(1, 1));
        NDArray recorded;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            recorded = SphereConv2d.sphereConv2d(x, w, Angular.sigmoid(0.3), new Shape(1, 1),
                    new Shape(1, 1));
        }
        double[] autograd = values(recorded);
        assertThat(maxDifference(values(evaluated), autograd))
                .isLessThanOrEqualTo(2e-6 * maxAbs(autograd));
    }

    /** A network of leaves {@code x} (inputs that need gradients) and {@code w} (kernels). */
    private interface Network {
        NDArray apply(NDArray[] x, NDArray[] w);
    }

    /** Output and gradients of {@code sum(out * upstream)}: fused and autograd agree. */
    private static void assertSame(Network net, NDArray[] x, NDArray[] w, Random random) {
        long upstreamSeed = random.nextLong();
        List<double[]> autograd = run(net, x, w, upstreamSeed, false);
        List<double[]> fused = run(net, x, w, upstreamSeed, true);
        // float32: a few ulps of the largest value (asin's last bit, the order of the channel sum,
        // carried through two layers); float64 likewise
        double tolerance = w[0].getDataType() == DataType.FLOAT32 ? 2e-6 : 4e-15;
        assertThat(fused).hasSameSizeAs(autograd);
        for (int i = 0; i < autograd.size(); i++) {
            assertThat(maxDifference(fused.get(i), autograd.get(i)))
                    .as(i == 0 ? "output" : "gradient " + i)
                    .isLessThanOrEqualTo(tolerance * maxAbs(autograd.get(i)));
        }
    }

    /**
     * In float32, the fused values and gradients are at most a little further from the float64
     * ones (the same network in float64, through autograd) than autograd's float32 values are.
     */
    private static void assertAsAccurate(Network net, NDArray[] x, NDArray[] w, Random random) {
        long upstreamSeed = random.nextLong();
        List<double[]> exact = run(net, float64(x), float64(w), upstreamSeed, false);
        List<double[]> autograd = run(net, x, w, upstreamSeed, false);
        List<double[]> fused = run(net, x, w, upstreamSeed, true);
        for (int i = 0; i < exact.size(); i++) {
            double scale = maxAbs(exact.get(i));
            double autogradError = maxDifference(autograd.get(i), exact.get(i));
            double fusedError = maxDifference(fused.get(i), exact.get(i));
            assertThat(fusedError).as((i == 0 ? "output" : "gradient " + i)
                            + " error, fused against autograd's " + autogradError)
                    .isLessThanOrEqualTo(1.5 * autogradError + 2e-7 * scale);
        }
    }

    private static NDArray[] float64(NDArray[] arrays) {
        NDArray[] converted = new NDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            converted[i] = arrays[i].toType(DataType.FLOAT64, false);
        }
        return converted;
    }

    private static double maxDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
        }
        return max;
    }

    private static double maxAbs(double[] a) {
        double max = 0;
        for (double v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** The output, then the gradient of every leaf; the leaves are fresh copies each run. */
    private static List<double[]> run(
            Network net, NDArray[] x, NDArray[] w, long upstreamSeed, boolean fused) {
        NDArray[] xs = copies(x);
        NDArray[] ws = copies(w);
        List<double[]> result = new ArrayList<>();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                FusedBackward recording = fused ? FusedBackward.record() : null) {
            NDArray out = net.apply(xs, ws);
            NDArray upstream = gaussian(out.getManager(), new Random(upstreamSeed),
                    out.getShape(), out.getDataType());
            result.add(values(out));
            collector.backward(out.mul(upstream).sum());
            if (recording != null) {
                recording.backward();
            }
        }
        for (NDArray[] leaves : new NDArray[][] {xs, ws}) {
            for (NDArray a : leaves) {
                result.add(values(a.getGradient()));
            }
        }
        return result;
    }

    private static double[] values(NDArray array) {
        return array.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static NDArray[] copies(NDArray[] arrays) {
        NDArray[] copies = new NDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            copies[i] = arrays[i].duplicate();
            copies[i].setRequiresGradient(true);
        }
        return copies;
    }

    private static NDArray gaussian(NDManager m, Random random, Shape shape, DataType type) {
        double[] v = new double[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian();
        }
        return m.create(v, shape).toType(type, false);
    }
}
