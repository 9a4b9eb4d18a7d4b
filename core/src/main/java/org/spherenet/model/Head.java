package org.spherenet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import java.util.Locale;
import org.spherenet.loss.AngularClassifier;
import org.spherenet.loss.GaSoftmaxLoss;
import org.spherenet.loss.MarginAnnealing;
import org.spherenet.loss.SoftmaxLoss;
import org.spherenet.nn.Angular;

/**
 * The classifier and its loss, chosen together: the plain softmax (a linear layer, no bias, and
 * cross-entropy) or an angular softmax (an {@link AngularClassifier} and {@link GaSoftmaxLoss}).
 *
 * @param angular g of an angular head, or null for the plain softmax
 * @param margin the GA-Softmax margin m (1 for none)
 * @param annealed whether the margin is eased in with SphereFace's schedule
 */
public record Head(Angular angular, double margin, boolean annealed) {

    /** Validates the margin. */
    public Head {
        if (angular != null && (!(margin >= 1) || Double.isInfinite(margin))) {
            throw new IllegalArgumentException("margin m must be >= 1, got " + margin);
        }
        if (angular != null && angular.isLearnable()) {
            throw new IllegalArgumentException("an angular head needs a fixed angular function");
        }
    }

    public static Head softmax() {
        return new Head(null, 1, false);
    }

    public static Head wSoftmax() {
        return new Head(Angular.cosine(), 1, false);
    }

    /** A-Softmax: cosine, m = 4, annealed as SphereFace does. */
    public static Head aSoftmax() {
        return new Head(Angular.cosine(), 4, true);
    }

    public static Head gaSoftmax(Angular angular, double margin) {
        return new Head(angular, margin, false);
    }

    /**
     * Parses {@code softmax}, {@code w-softmax}, {@code a-softmax} and {@code
     * ga-softmax:G:M} (G as {@link Angular#parse}, M the margin), e.g. {@code
     * ga-softmax:linear:1.5}.
     */
    public static Head parse(String name) {
        String s = name.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "softmax":
                return softmax();
            case "w-softmax":
                return wSoftmax();
            case "a-softmax":
                return aSoftmax();
            default:
                break;
        }
        String[] parts = s.split(":");
        if (parts.length == 3 && parts[0].equals("ga-softmax")) {
            try {
                return gaSoftmax(Angular.parse(parts[1]), Double.parseDouble(parts[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("margin is not a number in '" + name + "'");
            }
        }
        throw new IllegalArgumentException(
                "unknown classifier '"
                        + name
                        + "' (expected softmax, w-softmax, a-softmax or ga-softmax:G:M)");
    }

    public boolean isAngular() {
        return angular != null;
    }

    /** The classifier block for the given number of classes. */
    public Block block(int classes) {
        return angular == null
                ? Linear.builder().setUnits(classes).optBias(false).build()
                : AngularClassifier.of(classes);
    }

    /**
     * The loss that goes with the classifier.
     *
     * @param labelSmoothing in {@code [0, 1)}
     * @param probabilityFloor {@code >= 0}
     */
    public Loss loss(double labelSmoothing, double probabilityFloor) {
        if (angular == null) {
            return new SoftmaxLoss(labelSmoothing, probabilityFloor);
        }
        return new GaSoftmaxLoss(
                angular,
                margin,
                annealed ? MarginAnnealing.sphereFace() : null,
                labelSmoothing,
                probabilityFloor);
    }

    /**
     * The inference logits from the classifier's output: the plain logits, or {@code |f| g(theta_j)}
     * for an angular head (no margin: at inference every class is treated alike).
     */
    public NDArray logits(NDList predictions) {
        return angular == null
                ? predictions.head()
                : angular.apply(predictions.get(0)).mul(predictions.get(1));
    }

    @Override
    public String toString() {
        if (angular == null) {
            return "softmax";
        } else if (equals(wSoftmax())) {
            return "w-softmax";
        } else if (equals(aSoftmax())) {
            return "a-softmax";
        }
        return "ga-softmax:" + angular + ":" + margin + (annealed ? " (annealed)" : "");
    }
}
