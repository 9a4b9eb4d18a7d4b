package org.spherenet.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spherenet.nn.Angular;

/** The conditioning study's maths against independent computations (float64). */
class ConditioningMathsTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 9, 27})
    void eigenDecompositionReconstructsRandomSymmetricMatrices(int n) {
        Random random = new Random(n);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = a[j][i] = random.nextGaussian();
            }
        }
        SymmetricEigen.Result e = SymmetricEigen.of(a);
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int k = 0; k < n; k++) {
                    av += a[i][k] * e.vectors()[k][c];
                }
                assertThat(av).isCloseTo(e.values()[c] * e.vectors()[i][c], within(1e-10));
            }
        }
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += a[i][i];
        }
        assertThat(Arrays.stream(e.values()).sum()).isCloseTo(trace, within(1e-10));
    }

    @Test
    void eigenValuesOfAKnownMatrix() {
        double[] values = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}}).values();
        Arrays.sort(values);
        assertThat(values[0]).isCloseTo(1, within(1e-14));
        assertThat(values[1]).isCloseTo(3, within(1e-14));
    }

    @Test
    void innerProductConditionOfAxisAlignedPatchesIsTheRatioOfTheirEnergies() {
        // patches (3, 0) and (0, 1): second moment diag(4.5, 0.5), condition number 9
        List<double[]> patches = List.of(new double[] {3, 0}, new double[] {0, 1});
        assertThat(PatchConditioning.innerProduct(patches)).isCloseTo(9, within(1e-12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cosine", "linear", "sigmoid(0.3)"})
    void angularHessianMatchesFiniteDifferencesOfTheLoss(String name) {
        Angular g = Angular.parse(name);
        Random random = new Random(3);
        List<double[]> patches = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            patches.add(PatchConditioning.randomKernel(9, random));
        }
        double[] teacher = PatchConditioning.randomKernel(9, random);
        double[][] analytic = PatchConditioning.angularHessian(patches, teacher, g);
        double h = 1e-4;
        double scale = Arrays.stream(analytic).flatMapToDouble(Arrays::stream).map(Math::abs).max().orElse(1);
        for (int a = 0; a < 9; a++) {
            for (int b = 0; b < 9; b++) {
                double fd = (loss(patches, teacher, g, a, h, b, h) - loss(patches, teacher, g, a, h, b, -h)
                        - loss(patches, teacher, g, a, -h, b, h) + loss(patches, teacher, g, a, -h, b, -h)) / (4 * h * h);
                assertThat(fd).as("H[%d][%d]", a, b).isCloseTo(analytic[a][b], within(1e-4 * scale));
            }
        }
        // the response ignores the kernel's length: the Hessian is singular along the teacher (up to
        // the 1e-4 in the norms, a relative 1e-5 here)
        double[] hw = new double[9];
        for (int a = 0; a < 9; a++) {
            hw[a] = PatchConditioning.dot(analytic[a], teacher);
        }
        assertThat(Math.sqrt(PatchConditioning.dot(hw, hw)))
                .isLessThan(1e-4 * scale * Math.sqrt(PatchConditioning.dot(teacher, teacher)));
        assertThat(PatchConditioning.angular(patches, teacher, g)).isGreaterThanOrEqualTo(1).isFinite();
    }

    /** 1/(2n) sum (g(cos(w, x)) - g(cos(w*, x)))^2 at w = teacher + da e_a + db e_b, computed directly. */
    private static double loss(List<double[]> patches, double[] teacher, Angular g, int a, double da, int b, double db) {
        double[] w = teacher.clone();
        w[a] += da;
        w[b] += db;
        double sum = 0;
        for (double[] x : patches) {
            double r = g.value(angle(w, x)) - g.value(angle(teacher, x));
            sum += r * r;
        }
        return sum / (2 * patches.size());
    }

    private static double angle(double[] w, double[] x) {
        double cos = PatchConditioning.dot(w, x)
                / (Math.sqrt(PatchConditioning.dot(w, w) + 1e-4) * Math.sqrt(PatchConditioning.dot(x, x) + 1e-4));
        return Math.acos(cos);
    }
}
