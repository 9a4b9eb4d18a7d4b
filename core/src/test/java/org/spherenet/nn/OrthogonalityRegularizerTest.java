package org.spherenet.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The orthogonality penalty {@code 0.5 ||W W^T - I||_F^2} (W: one filter per row) against float64
 * loops, its gradient {@code 2 (W W^T - I) W}, and the search for hyperspherical kernels.
 */
class OrthogonalityRegularizerTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new Shape(4, 3, 3, 3)), // conv kernel, fewer filters than inputs
                Arguments.of(new Shape(40, 3, 3, 1)), // more filters than inputs: cannot be orthogonal
                Arguments.of(new Shape(5, 7)), // matrix
                Arguments.of(new Shape(6, 2)));
    }

    /** W as rows (out) x cols (in * kh * kw), row-major as the flat array is. */
    private static double[][] rows(double[] w, Shape shape) {
        int out = (int) shape.get(0);
        int cols = (int) (shape.size() / out);
        double[][] m = new double[out][cols];
        for (int i = 0; i < out; i++) {
            System.arraycopy(w, i * cols, m[i], 0, cols);
        }
        return m;
    }

    /** G - I with G = W W^T. */
    private static double[][] gramMinusIdentity(double[][] w) {
        int n = w.length;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < w[i].length; k++) {
                    s += w[i][k] * w[j][k];
                }
                g[i][j] = s - (i == j ? 1 : 0);
            }
        }
        return g;
    }

    private static double loopPenalty(double[][] w) {
        double s = 0;
        for (double[] row : gramMinusIdentity(w)) {
            for (double v : row) {
                s += v * v;
            }
        }
        return 0.5 * s;
    }

    /** 2 (W W^T - I) W, flattened like W. */
    private static double[] loopGradient(double[][] w) {
        double[][] d = gramMinusIdentity(w);
        int cols = w[0].length;
        double[] grad = new double[w.length * cols];
        for (int i = 0; i < w.length; i++) {
            for (int k = 0; k < cols; k++) {
                double s = 0;
                for (int j = 0; j < w.length; j++) {
                    s += d[i][j] * w[j][k];
                }
                grad[i * cols + k] = 2 * s;
            }
        }
        return grad;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void penaltyAndGradientEqualFloat64Loops(Shape shape) {
        double[] w = Numerics.gaussian(new Random(shape.size()), (int) shape.size(), 0.4);
        double[][] m = rows(w, shape);
        double expected = loopPenalty(m);
        double[] expectedGrad = loopGradient(m);
        for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            double tolerance = type == DataType.FLOAT64 ? 1e-12 : 1e-5;
            try (NDManager sub = manager.newSubManager()) {
                double[][] r = Numerics.outputAndGradients(
                        in -> OrthogonalityRegularizer.penalty(in[0]),
                        new double[] {1},
                        Numerics.array(sub, w, shape, type));
                assertThat(r[0]).hasSize(1);
                assertThat(r[0][0]).as("%s penalty", type).isCloseTo(expected, within(tolerance * expected));
                assertThat(Numerics.relativeError(r[1], expectedGrad)).as("%s gradient", type).isLessThan(tolerance);
            }
        }
        assertThat(expected).isGreaterThan(0.1);
    }

    @Test
    void penaltyIsZeroForOrthonormalRows() {
        // Gram-Schmidt on random rows of a (3, 2, 2, 2) kernel: 3 orthonormal rows of length 8
        Shape shape = new Shape(3, 2, 2, 2);
        double[][] m = rows(Numerics.gaussian(new Random(8), 24, 1), shape);
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < i; j++) {
                double d = dot(m[i], m[j]);
                for (int k = 0; k < 8; k++) {
                    m[i][k] -= d * m[j][k];
                }
            }
            double n = Math.sqrt(dot(m[i], m[i]));
            for (int k = 0; k < 8; k++) {
                m[i][k] /= n;
            }
        }
        double[] flat = new double[24];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(m[i], 0, flat, 8 * i, 8);
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray w = sub.create(flat, shape);
            assertThat(OrthogonalityRegularizer.penalty(w).getDouble()).isLessThan(1e-28);
            // scaling the rows breaks it: 0.5 * 3 * (4 - 1)^2 for rows of norm 2
            assertThat(OrthogonalityRegularizer.penalty(w.mul(2)).getDouble()).isCloseTo(13.5, within(1e-12));
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void coefficientVariantSumsAndScales() {
        Shape s1 = new Shape(4, 3, 3, 3);
        Shape s2 = new Shape(5, 7);
        double[] w1 = Numerics.gaussian(new Random(1), (int) s1.size(), 0.3);
        double[] w2 = Numerics.gaussian(new Random(2), (int) s2.size(), 0.3);
        double c = 2e-4;
        double expected = c * (loopPenalty(rows(w1, s1)) + loopPenalty(rows(w2, s2)));
        try (NDManager sub = manager.newSubManager()) {
            double[][] r = Numerics.outputAndGradients(
                    in -> OrthogonalityRegularizer.penalty(List.of(in[0], in[1]), c),
                    new double[] {1},
                    sub.create(w1, s1),
                    sub.create(w2, s2));
            assertThat(r[0][0]).isCloseTo(expected, within(1e-12 * expected));
            double[] g1 = loopGradient(rows(w1, s1));
            for (int i = 0; i < g1.length; i++) {
                g1[i] *= c;
            }
            assertThat(Numerics.relativeError(r[1], g1)).isLessThan(1e-12);
            double[] g2 = loopGradient(rows(w2, s2));
            for (int i = 0; i < g2.length; i++) {
                g2[i] *= c;
            }
            assertThat(Numerics.relativeError(r[2], g2)).isLessThan(1e-12);
        }
        assertThat(OrthogonalityRegularizer.DEFAULT_COEFFICIENT).isEqualTo(2e-4);
    }

    @Test
    void emptyKernelListIsRejected() {
        assertThatThrownBy(() -> OrthogonalityRegularizer.penalty(List.of(), 1e-4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sphereKernelsFindsEveryHypersphericalKernelInNestedBlocksAndNoPlainOne() {
        SphereConv2d sphereConv = SphereConv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build();
        Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build();
        SphereLinear sphereLinear = SphereLinear.builder().setUnits(3).optAngular(Angular.learnableSigmoid()).build();
        Linear linear = Linear.builder().setUnits(3).build();
        SphereNorm sphereNorm = SphereNorm.builder().setKernelShape(new Shape(1, 1)).setFilters(2).build();
        SequentialBlock inner = new SequentialBlock()
                .add(sphereNorm)
                .add(BatchNorm.builder().build())
                .add(new SequentialBlock().add(sphereLinear).add(linear));
        SequentialBlock net = new SequentialBlock().add(sphereConv).add(conv).add(inner);

        List<Parameter> kernels = OrthogonalityRegularizer.sphereKernels(net);
        assertThat(kernels).containsExactly(
                sphereConv.getWeight(), sphereNorm.getSphereConv().getWeight(), sphereLinear.getWeight());
        assertThat(kernels).doesNotContain(conv.getParameters().get("weight"), linear.getParameters().get("weight"));
        assertThat(OrthogonalityRegularizer.sphereKernels(new SequentialBlock().add(conv).add(linear))).isEmpty();
    }
}
