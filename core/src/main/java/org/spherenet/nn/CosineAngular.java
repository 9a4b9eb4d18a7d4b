package org.spherenet.nn;

import ai.djl.ndarray.NDArray;

/**
 * {@code g = cos(theta)}. Its margin extension is SphereFace's {@code psi(theta) = (-1)^q cos(m
 * theta) - 2q} with {@code q = floor(m theta / pi)}, continuous and decreasing for every real m.
 */
final class CosineAngular implements Angular {

    static final CosineAngular INSTANCE = new CosineAngular();

    private CosineAngular() {}

    @Override
    public NDArray apply(NDArray cos) {
        return cos;
    }

    @Override
    public NDArray applyWithMargin(NDArray cos, double margin) {
        if (margin == 1) {
            return cos;
        }
        NDArray theta = Hypersphere.angle(cos);
        NDArray mTheta = theta.mul(Constant.like(theta, margin));
        // q is piecewise constant (no gradient), so it is computed off the graph
        NDArray q = mTheta.stopGradient().div(Math.PI).floor();
        // (-1)^q for integer-valued q: 1 - 2 * (q mod 2)
        NDArray sign = q.mod(2).mul(-2).add(1);
        return mTheta.cos().mul(sign).sub(q.mul(2));
    }

    @Override
    public double value(double theta) {
        return Math.cos(theta);
    }

    @Override
    public double valueWithMargin(double theta, double margin) {
        double q = Math.floor(margin * theta / Math.PI);
        double sign = q % 2 == 0 ? 1 : -1;
        return sign * Math.cos(margin * theta) - 2 * q;
    }

    @Override
    public String toString() {
        return "cosine";
    }
}
