package org.spherenet.loss;

import java.util.Random;

/**
 * Float64 definitions for the loss tests, written from DESIGN section 4 and PAPER section 4 with
 * plain loops: the W-Softmax cosines with the authors' 1e-4 terms, the angular functions (the
 * paper's C_k form for the sigmoid), their margin extensions and a hand-written cross-entropy.
 */
final class LossNumerics {

    static final double EPS = 1e-4;

    private LossNumerics() {}

    /** A fixed angular function: name, and k for the sigmoid (NaN otherwise). */
    record Fn(String kind, double k) {

        static Fn linear() {
            return new Fn("linear", Double.NaN);
        }

        static Fn cosine() {
            return new Fn("cosine", Double.NaN);
        }

        static Fn sigmoid(double k) {
            return new Fn("sigmoid", k);
        }

        double g(double theta) {
            switch (kind) {
                case "linear":
                    return 1 - 2 * theta / Math.PI;
                case "cosine":
                    return Math.cos(theta);
                default:
                    double z = theta / k - Math.PI / (2 * k);
                    double ck = (1 + Math.exp(-Math.PI / (2 * k))) / (1 - Math.exp(-Math.PI / (2 * k)));
                    return ck * (1 - Math.exp(z)) / (1 + Math.exp(z));
            }
        }

        /** psi(theta; m): SphereFace's (-1)^q cos(m theta) - 2q for the cosine, else g(m theta). */
        double psi(double theta, double m) {
            if (kind.equals("cosine")) {
                double q = Math.floor(m * theta / Math.PI);
                return (q % 2 == 0 ? 1 : -1) * Math.cos(m * theta) - 2 * q;
            }
            return g(m * theta);
        }

        @Override
        public String toString() {
            return kind.equals("sigmoid") ? "sigmoid(" + k + ")" : kind;
        }
    }

    static double[] gaussian(Random random, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    /** Row i of a flat row-major (rows, cols) array. */
    static double[] row(double[] flat, int i, int cols) {
        double[] r = new double[cols];
        System.arraycopy(flat, i * cols, r, 0, cols);
        return r;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a) + EPS);
    }

    /** cos(f_i, w_j) with the 1e-4 terms, (batch, classes) flat. */
    static double[] cosines(double[] f, double[] w, int batch, int classes, int features) {
        double[] c = new double[batch * classes];
        for (int i = 0; i < batch; i++) {
            double[] fi = row(f, i, features);
            for (int j = 0; j < classes; j++) {
                double[] wj = row(w, j, features);
                c[i * classes + j] = dot(fi, wj) / (norm(fi) * norm(wj));
            }
        }
        return c;
    }

    /**
     * GA-Softmax logits: |f| g(theta_j) for j != y, |f| (lambda g + psi) / (1 + lambda) for y.
     */
    static double[] logits(double[] cos, double[] norms, int[] labels, Fn fn, double m, double lambda) {
        int classes = cos.length / labels.length;
        double[] z = new double[cos.length];
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < classes; j++) {
                double theta = Math.acos(cos[i * classes + j]);
                double g = fn.g(theta);
                double v = j == labels[i] ? (lambda * g + fn.psi(theta, m)) / (1 + lambda) : g;
                z[i * classes + j] = norms[i] * v;
            }
        }
        return z;
    }

    /** Mean of -sum_j t_j log(softmax_j + floor), t = (1 - s) onehot + s / classes. */
    static double crossEntropy(double[] logits, int[] labels, double smoothing, double floor) {
        int classes = logits.length / labels.length;
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, logits[i * classes + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(logits[i * classes + j] - max);
            }
            for (int j = 0; j < classes; j++) {
                double t = (j == labels[i] ? 1 - smoothing : 0) + smoothing / classes;
                double logP = floor == 0
                        ? logits[i * classes + j] - max - Math.log(sum)
                        : Math.log(Math.exp(logits[i * classes + j] - max) / sum + floor);
                total -= t * logP;
            }
        }
        return total / labels.length;
    }
}
