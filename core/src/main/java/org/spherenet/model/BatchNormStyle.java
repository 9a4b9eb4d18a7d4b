package org.spherenet.model;

import ai.djl.nn.Block;
import org.spherenet.nn.ExactBatchNorm;

/**
 * The two BatchNorm conventions a convergence study must compare (DESIGN section 7): the authors'
 * (moving average 0.999 of the batch mean and biased variance, epsilon 1e-3) and the usual one (momentum 0.1 in PyTorch's terms, epsilon
 * 1e-5, unbiased variance). The authors' running statistics also start at zero; the trainer does that at
 * initialisation.
 */
public enum BatchNormStyle {
    USUAL(0.9, 1e-5, true),
    AUTHORS(0.999, 1e-3, false);

    /** DJL's momentum: the weight of the old running value. */
    private final double momentum;
    private final double epsilon;
    /** PyTorch averages the unbiased batch variance; the authors' TensorFlow code the biased one. */
    private final boolean unbiasedRunningVariance;

    BatchNormStyle(double momentum, double epsilon, boolean unbiasedRunningVariance) {
        this.unbiasedRunningVariance = unbiasedRunningVariance;
        this.momentum = momentum;
        this.epsilon = epsilon;
    }

    /** A BatchNorm block over the channel axis. */
    public Block block() {
        return new ExactBatchNorm(momentum, epsilon, unbiasedRunningVariance);
    }
}
