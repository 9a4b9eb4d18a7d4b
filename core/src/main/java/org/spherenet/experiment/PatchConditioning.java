package org.spherenet.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.spherenet.nn.Angular;

/**
 * The paper's conditioning argument, checked on a one-layer problem: fit one kernel {@code w} to
 * the responses a teacher kernel {@code w*} gives on real image patches {@code x_i}, by least
 * squares, and take the condition number of the loss Hessian at the optimum (where it is the
 * Gauss-Newton matrix {@code (1/n) sum J_i J_i^T}, {@code J_i} the gradient of one response).
 *
 * <ul>
 *   <li>inner product, response {@code <w, x>}: {@code J_i = x_i}, the Hessian is the patches'
 *       second-moment matrix;
 *   <li>angular, response {@code g(theta(w, x))}: {@code J_i = g'(cos) (x_i/(|x_i||w|) - cos
 *       w/|w|^2)}, norms with the authors' 1e-4. The response ignores the length of {@code w}, so
 *       the Hessian is singular along {@code w}; its condition number is taken over the other
 *       directions (the sphere's tangent space), which is where this parameterisation learns.
 * </ul>
 *
 * Everything is float64.
 */
final class PatchConditioning {

    private PatchConditioning() {}

    /** Condition number of the inner-product problem: that of {@code (1/n) X^T X}. */
    static double innerProduct(List<double[]> patches) {
        double[] values = SymmetricEigen.of(secondMoment(patches)).values();
        return max(values) / min(values);
    }

    /** {@code (1/n) X^T X}: the Hessian of the inner-product problem. */
    static double[][] secondMoment(List<double[]> patches) {
        int d = patches.get(0).length;
        double[][] h = new double[d][d];
        for (double[] x : patches) {
            addOuter(h, x, 1.0 / patches.size());
        }
        return h;
    }

    /** Condition number, on the tangent space at {@code teacher}, of the angular problem with g. */
    static double angular(List<double[]> patches, double[] teacher, Angular g) {
        return tangentCondition(angularHessian(patches, teacher, g), teacher);
    }

    /** The Hessian at the optimum {@code w = teacher} of the angular least-squares problem. */
    static double[][] angularHessian(List<double[]> patches, double[] teacher, Angular g) {
        int d = teacher.length;
        double wNorm = Math.sqrt(dot(teacher, teacher) + 1e-4);
        double[][] h = new double[d][d];
        double[] j = new double[d];
        for (double[] x : patches) {
            double xNorm = Math.sqrt(dot(x, x) + 1e-4);
            double cos = dot(teacher, x) / (wNorm * xNorm);
            double slope = dgdcos(g, cos);
            for (int k = 0; k < d; k++) {
                j[k] = slope * (x[k] / (xNorm * wNorm) - cos * teacher[k] / (wNorm * wNorm));
            }
            addOuter(h, j, 1.0 / patches.size());
        }
        return h;
    }

    /** The condition number of {@code h} without the eigenvector most aligned with {@code w}. */
    static double tangentCondition(double[][] h, double[] w) {
        int d = w.length;
        SymmetricEigen.Result eigen = SymmetricEigen.of(h);
        int radial = 0;
        double best = -1;
        for (int c = 0; c < d; c++) {
            double alignment = 0;
            for (int k = 0; k < d; k++) {
                alignment += eigen.vectors()[k][c] * w[k];
            }
            if (Math.abs(alignment) > best) {
                best = Math.abs(alignment);
                radial = c;
            }
        }
        double[] tangent = new double[d - 1];
        for (int c = 0, i = 0; c < d; c++) {
            if (c != radial) {
                tangent[i++] = eigen.values()[c];
            }
        }
        return max(tangent) / min(tangent);
    }

    /** dg/dcos = g'(theta) dtheta/dcos = -g'(theta) / sin(theta), g' by central differences. */
    static double dgdcos(Angular g, double cos) {
        double theta = Math.acos(Math.max(-1, Math.min(1, cos)));
        double h = 1e-6;
        double slope = (g.value(theta + h) - g.value(theta - h)) / (2 * h);
        return -slope / Math.max(Math.sin(theta), 1e-6);
    }

    /** {@code count} random {@code channels x kernel x kernel} patches of images {@code (C, H, W)}. */
    static List<double[]> patches(List<float[]> images, int channels, int height, int width, int kernel,
            int count, long seed) {
        Random random = new Random(seed);
        List<double[]> patches = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            float[] image = images.get(random.nextInt(images.size()));
            int top = random.nextInt(height - kernel + 1);
            int left = random.nextInt(width - kernel + 1);
            double[] patch = new double[channels * kernel * kernel];
            int i = 0;
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < kernel; y++) {
                    for (int x = 0; x < kernel; x++) {
                        patch[i++] = image[(c * height + top + y) * width + left + x];
                    }
                }
            }
            patches.add(patch);
        }
        return patches;
    }

    /** A kernel of independent standard normal weights. */
    static double[] randomKernel(int d, Random random) {
        double[] w = new double[d];
        Arrays.setAll(w, i -> random.nextGaussian());
        return w;
    }

    private static void addOuter(double[][] h, double[] v, double scale) {
        for (int a = 0; a < v.length; a++) {
            double va = v[a] * scale;
            for (int b = 0; b < v.length; b++) {
                h[a][b] += va * v[b];
            }
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }
}
