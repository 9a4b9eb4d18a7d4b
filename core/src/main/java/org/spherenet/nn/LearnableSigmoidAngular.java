package org.spherenet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The sigmoid angular function with one learnable curvature per output channel: {@code k = |kappa|
 * + 0.05}, so k never reaches 0 and the sign of kappa does not matter (the authors' choice).
 * Unbound (as {@link Angular#learnableSigmoid()} returns it) it only describes the function; a
 * block binds its {@code kappa} parameter with {@link #withKappa(NDArray)} on every forward pass.
 */
final class LearnableSigmoidAngular implements Angular {

    /** Initial kappa, so k starts at 0.75 (a double: 0.7f + 0.05 would be 0.7500000119). */
    static final double KAPPA_INIT = 0.7;

    /** The floor added to |kappa|. */
    static final double K_FLOOR = 0.05;

    static final LearnableSigmoidAngular UNBOUND = new LearnableSigmoidAngular(null);

    private final NDArray kappa;

    private LearnableSigmoidAngular(NDArray kappa) {
        this.kappa = kappa;
    }

    @Override
    public NDArray apply(NDArray cos) {
        return applyWithMargin(cos, 1);
    }

    @Override
    public NDArray applyWithMargin(NDArray cos, double margin) {
        if (kappa == null) {
            throw new IllegalStateException(
                    "learnable-sigmoid needs its per-channel kappa: use it through a block, or"
                            + " bind it with withKappa(kappa)");
        }
        NDArray complement = Hypersphere.complementAngle(cos); // pi/2 - theta
        // kappa (C) broadcast over axis 1 of cos: (C) -> (C, 1, ..., 1)
        long[] dims = new long[cos.getShape().dimension() - 1];
        java.util.Arrays.fill(dims, 1);
        dims[0] = kappa.size();
        NDArray k = kappa.abs().add(K_FLOOR).reshape(new Shape(dims));
        // pi/2 - m theta = m (pi/2 - theta) + (1 - m) pi/2
        NDArray numerator = complement.mul(Constant.like(complement, margin))
                .add((1 - margin) * Math.PI / 2)
                .div(k.mul(Constant.like(k, 2)))
                .tanh();
        NDArray denominator = Constant.like(k, Math.PI).div(k.mul(Constant.like(k, 4))).tanh();
        return numerator.div(denominator);
    }

    @Override
    public double value(double theta) {
        return SigmoidAngular.value(theta, KAPPA_INIT + K_FLOOR);
    }

    @Override
    public boolean isLearnable() {
        return true;
    }

    @Override
    public Angular withKappa(NDArray kappa) {
        return new LearnableSigmoidAngular(kappa);
    }

    @Override
    public String toString() {
        return "learnable-sigmoid";
    }
}
