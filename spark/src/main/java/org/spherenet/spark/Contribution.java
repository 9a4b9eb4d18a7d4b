package org.spherenet.spark;

import java.io.Serializable;

/**
 * What replicas send back, summed over replicas by {@code treeAggregate}: every array weighted by
 * the replica's sample count, so that dividing by the total count gives the exact average over the
 * global batch whatever the shard sizes.
 */
final class Contribution implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Gradients (gradient averaging) or weights (parameter averaging), times samples. */
    double[][] arrays;
    /** BatchNorm's running statistics, times samples. */
    double[][] forwardState;
    /** The optimiser's state arrays, times samples (parameter averaging). */
    double[][] optimizerState;
    /** One replica's saved optimiser, for its counters (parameter averaging). */
    byte[] optimizer;
    /** Sum over replicas and steps of the mean loss times the samples. */
    double loss;
    /** Correctly classified images. */
    double correct;
    /** Images per step, summed over replicas. */
    long samples;
    /** Steps a replica skipped for a non-finite loss or gradient (a gradient-averaging step: the loss). */
    long skipped;
    /** Bytes the replicas sent. */
    long bytes;
    /** The slowest replica's compute time (the synchronisation waits for it). */
    double computeSeconds;

    /** Adds {@code other} into this one (both sides may be empty). */
    Contribution add(Contribution other) {
        arrays = sum(arrays, other.arrays);
        forwardState = sum(forwardState, other.forwardState);
        optimizerState = sum(optimizerState, other.optimizerState);
        if (optimizer == null) {
            optimizer = other.optimizer;
        }
        loss += other.loss;
        correct += other.correct;
        samples += other.samples;
        skipped += other.skipped;
        bytes += other.bytes;
        computeSeconds = Math.max(computeSeconds, other.computeSeconds);
        return this;
    }

    private static double[][] sum(double[][] a, double[][] b) {
        if (b == null) {
            return a;
        }
        return a == null ? b : Tensors.addScaled(a, b, 1);
    }
}
