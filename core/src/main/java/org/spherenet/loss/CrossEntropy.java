package org.spherenet.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Softmax cross-entropy with the two switches the authors' loss has: label smoothing and a floor
 * added to every probability ("standard softmax" in their code is smoothing 0.01, floor 1e-4).
 */
public final class CrossEntropy {

    private CrossEntropy() {}

    /**
     * Mean over the batch of {@code -sum_j t_j log(p_j + floor)}, {@code p = softmax(logits)},
     * {@code t = (1 - smoothing) onehot(label) + smoothing / classes}.
     *
     * @param logits {@code (batch, classes)}
     * @param labels {@code (batch)} or {@code (batch, 1)}, class indices
     * @param labelSmoothing in {@code [0, 1)}
     * @param probabilityFloor {@code >= 0}; 0 is the usual, numerically exact log-softmax
     * @return a scalar
     */
    public static NDArray crossEntropy(
            NDArray logits, NDArray labels, double labelSmoothing, double probabilityFloor) {
        int classes = (int) logits.getShape().get(1);
        NDArray logProbabilities =
                probabilityFloor == 0
                        ? logits.logSoftmax(1)
                        : logits.softmax(1).add(probabilityFloor).log();
        NDArray targets = oneHot(labels, classes, logits.getDataType());
        if (labelSmoothing != 0) {
            targets = targets.mul(1 - labelSmoothing).add(labelSmoothing / classes);
        }
        return logProbabilities.mul(targets).sum(new int[] {1}).mean().neg();
    }

    /** One-hot rows {@code (batch, classes)} of the given type for integer class labels. */
    static NDArray oneHot(NDArray labels, int classes, DataType type) {
        return labels.reshape(-1).toType(DataType.INT64, false).oneHot(classes, type);
    }
}
