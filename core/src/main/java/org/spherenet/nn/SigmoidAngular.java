package org.spherenet.nn;

import ai.djl.ndarray.NDArray;

/**
 * The sigmoid angular function with a fixed curvature k, in the cheaper identical form {@code g =
 * tanh((pi/2 - theta) / (2k)) / tanh(pi / (4k))} of the paper's {@code C_k (1 - e^z) / (1 + e^z)},
 * {@code z = theta/k - pi/(2k)}. Decreasing for every {@code theta}, so {@code psi = g(m theta)}.
 */
final class SigmoidAngular implements Angular {

    /** The authors' default curvature. */
    static final double AUTHORS_K = 0.3;

    private final double k;

    SigmoidAngular(double k) {
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("sigmoid curvature k must be > 0, got " + k);
        }
        this.k = k;
    }

    @Override
    public NDArray apply(NDArray cos) {
        return applyWithMargin(cos, 1);
    }

    @Override
    public NDArray applyWithMargin(NDArray cos, double margin) {
        // tanh((pi/2 - m theta) / (2k)) / tanh(pi / (4k)),
        // with pi/2 - m theta = m (pi/2 - theta) + (1 - m) pi/2
        // in place up to tanh, whose backward needs its output (so the last division is not);
        // nothing keeps tanh's input, so it is freed at once instead of at the end of the step
        try (NDArray z = Hypersphere.complementAngle(cos)) {
            z.muli(Constant.like(z, margin / (2 * k)));
            if (margin != 1) {
                z.addi((1 - margin) * Math.PI / (4 * k));
            }
            NDArray t = z.tanh();
            return t.div(Constant.like(t, tanhQuarterPi()));
        }
    }

    @Override
    public double value(double theta) {
        return value(theta, k);
    }

    /** The curvature. */
    double k() {
        return k;
    }

    /** {@code tanh(pi / (4k))}, the divisor that makes {@code g(0) = 1}. */
    double tanhQuarterPi() {
        return Math.tanh(Math.PI / (4 * k));
    }

    static double value(double theta, double k) {
        return Math.tanh((Math.PI / 2 - theta) / (2 * k)) / Math.tanh(Math.PI / (4 * k));
    }

    @Override
    public String toString() {
        return "sigmoid(" + k + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigmoidAngular && ((SigmoidAngular) o).k == k;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(k);
    }
}
