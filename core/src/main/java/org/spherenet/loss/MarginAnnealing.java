package org.spherenet.loss;

/**
 * SphereFace's schedule for easing a large margin in: the target logit is {@code (lambda g(theta)
 * + psi(theta)) / (1 + lambda)} |f| with {@code lambda = max(min, base (1 + gamma iter)^-power)},
 * so training starts close to the no-margin loss and the margin takes over as lambda decays.
 *
 * @param base lambda at iteration 0
 * @param gamma the decay rate per iteration
 * @param power the decay exponent
 * @param min the floor lambda never goes below
 */
public record MarginAnnealing(double base, double gamma, double power, double min) {

    /** Validates the constants. */
    public MarginAnnealing {
        if (!(base >= 0 && gamma >= 0 && power >= 0 && min >= 0)) {
            throw new IllegalArgumentException(
                    "margin annealing constants must be >= 0, got " + this);
        }
    }

    /** SphereFace's constants: base 1000, gamma 0.12, power 1, min 5. */
    public static MarginAnnealing sphereFace() {
        return new MarginAnnealing(1000, 0.12, 1, 5);
    }

    /** Lambda at a training iteration (0-based). */
    public double lambda(long iteration) {
        return Math.max(min, base * Math.pow(1 + gamma * iteration, -power));
    }
}
