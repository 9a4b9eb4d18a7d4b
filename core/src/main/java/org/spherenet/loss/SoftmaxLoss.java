package org.spherenet.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The baseline: a plain (linear) classifier's logits with softmax cross-entropy. Predictions are
 * {@code NDList(logits (batch, classes))}; labels {@code NDList(classIndices (batch))}.
 */
public class SoftmaxLoss extends Loss {

    private final double labelSmoothing;
    private final double probabilityFloor;

    /** Plain cross-entropy. */
    public SoftmaxLoss() {
        this(0, 0);
    }

    /**
     * Cross-entropy with the authors' switches, see {@link CrossEntropy}.
     *
     * @param labelSmoothing in {@code [0, 1)}; the authors use 0.01
     * @param probabilityFloor {@code >= 0}; the authors use 1e-4
     */
    public SoftmaxLoss(double labelSmoothing, double probabilityFloor) {
        super("SoftmaxLoss");
        this.labelSmoothing = checkSmoothing(labelSmoothing);
        this.probabilityFloor = checkFloor(probabilityFloor);
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return CrossEntropy.crossEntropy(
                predictions.get(0), labels.singletonOrThrow(), labelSmoothing, probabilityFloor);
    }

    static double checkSmoothing(double smoothing) {
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + smoothing);
        }
        return smoothing;
    }

    static double checkFloor(double floor) {
        if (!(floor >= 0 && floor < 1)) {
            throw new IllegalArgumentException(
                    "probability floor must be in [0, 1), got " + floor);
        }
        return floor;
    }
}
