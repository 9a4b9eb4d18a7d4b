package org.spherenet.nn;

import ai.djl.ndarray.NDArray;

/**
 * An angular function {@code g(theta)}: how a SphereConv turns the angle between a kernel and a
 * patch into an output. Every g is decreasing on {@code [0, pi]} with {@code g(0) = 1},
 * {@code g(pi/2) = 0} and {@code g(pi) = -1}.
 *
 * <p>The operators hand g the cosine of the angle (that is what they compute); the losses also
 * need the margin extension {@code psi(theta; m)}, g applied to {@code m * theta} and made
 * monotone decreasing on {@code [0, pi]}, with {@code psi(theta; 1) = g(theta)}.
 *
 * <p>Each function exists twice: on {@link NDArray}s (the differentiable form the layers use) and
 * on doubles (the float64 definition, for tests, plots and documentation).
 */
public interface Angular {

    /** {@code g = 1 - 2 theta / pi}. */
    static Angular linear() {
        return LinearAngular.INSTANCE;
    }

    /** {@code g = cos(theta)}: plain cosine similarity, no acos needed. */
    static Angular cosine() {
        return CosineAngular.INSTANCE;
    }

    /**
     * The sigmoid family, {@code g = tanh((pi/2 - theta) / (2k)) / tanh(pi / (4k))}; small k
     * approaches a step, large k the linear function. The paper tries 0.1, 0.3, 0.7.
     *
     * @param k the curvature, {@code k > 0}
     */
    static Angular sigmoid(double k) {
        return new SigmoidAngular(k);
    }

    /**
     * The sigmoid with one learnable curvature per output channel, stored as {@code kappa}
     * (initialised to {@value LearnableSigmoidAngular#KAPPA_INIT}) and used as {@code k = |kappa| +
     * 0.05}. The blocks own {@code kappa}; the functional forms take it through {@link
     * #withKappa(NDArray)}.
     */
    static Angular learnableSigmoid() {
        return LearnableSigmoidAngular.UNBOUND;
    }

    /** The curvature k a learnable sigmoid uses for a stored {@code kappa}. */
    static double learnedK(double kappa) {
        return Math.abs(kappa) + LearnableSigmoidAngular.K_FLOOR;
    }

    /**
     * Parses the names {@link #toString()} gives: {@code linear}, {@code cosine}, {@code
     * sigmoid(0.3)} (also {@code sigmoid:0.3}), {@code learnable-sigmoid}.
     *
     * @throws IllegalArgumentException with a message listing the valid names
     */
    static Angular parse(String name) {
        String s = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("linear")) {
            return linear();
        } else if (s.equals("cosine")) {
            return cosine();
        } else if (s.equals("learnable-sigmoid") || s.equals("learnable")) {
            return learnableSigmoid();
        } else if (s.startsWith("sigmoid")) {
            // exactly sigmoid, sigmoid(K) or sigmoid:K; K a plain decimal number
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("sigmoid(?:\\((.*)\\)|:(.*))?").matcher(s);
            String k = !m.matches() ? "" : m.group(1) != null ? m.group(1) : m.group(2);
            if (m.matches() && k == null) {
                return sigmoid(SigmoidAngular.AUTHORS_K);
            }
            try {
                return sigmoid(new java.math.BigDecimal(k.trim()).doubleValue());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sigmoid curvature is not a number: " + name);
            }
        }
        throw new IllegalArgumentException(
                "unknown angular function '"
                        + name
                        + "' (expected linear, cosine, sigmoid(K) or learnable-sigmoid)");
    }

    /**
     * Applies g to cosines, element-wise.
     *
     * @param cos cosines in {@code (-1, 1)}, any shape; for a learnable g, axis 1 is the channel
     * @return {@code g(acos(cos))}, same shape
     */
    NDArray apply(NDArray cos);

    /**
     * Applies the margin extension {@code psi(theta; m)} to cosines, element-wise.
     *
     * @param cos cosines, any shape
     * @param margin {@code m >= 1}; {@code m = 1} gives exactly {@link #apply(NDArray)}
     */
    NDArray applyWithMargin(NDArray cos, double margin);

    /** The float64 definition of {@code g(theta)}, {@code theta} in {@code [0, pi]}. */
    double value(double theta);

    /** The float64 definition of {@code psi(theta; m)}, {@code theta} in {@code [0, pi]}. */
    default double valueWithMargin(double theta, double margin) {
        return value(margin * theta);
    }

    /** Whether g has parameters of its own (one {@code kappa} per output channel). */
    default boolean isLearnable() {
        return false;
    }

    /**
     * Binds the per-channel parameters of a learnable g; a fixed g returns itself.
     *
     * @param kappa shape {@code (channels)}
     */
    default Angular withKappa(NDArray kappa) {
        return this;
    }
}
