package org.spherenet.nn;

import ai.djl.ndarray.NDArray;

/**
 * {@code g = 1 - 2 theta / pi}: constant slope in the angle. Already decreasing for every
 * {@code theta >= 0}, so its margin extension is simply {@code g(m theta)}.
 */
final class LinearAngular implements Angular {

    static final LinearAngular INSTANCE = new LinearAngular();

    static final double SLOPE = 2 / Math.PI; // the authors write 0.63662

    private LinearAngular() {}

    @Override
    public NDArray apply(NDArray cos) {
        return applyWithMargin(cos, 1);
    }

    @Override
    public NDArray applyWithMargin(NDArray cos, double margin) {
        // 1 - (2m/pi) theta = (2m/pi) (pi/2 - theta) + 1 - m; asin's backward needs its input, not
        // its output, so the scaling can be in place (no extra full-size array)
        NDArray g = Hypersphere.complementAngle(cos);
        g.muli(Constant.like(g, SLOPE * margin));
        return margin == 1 ? g : g.addi(1 - margin);
    }

    @Override
    public double value(double theta) {
        return 1 - SLOPE * theta;
    }

    @Override
    public String toString() {
        return "linear";
    }
}
