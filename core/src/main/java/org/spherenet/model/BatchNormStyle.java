package org.spherenet.model;

import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;

/**
 * The two BatchNorm conventions a convergence study must compare (DESIGN section 7): the authors'
 * (moving average 0.999, epsilon 1e-3) and the usual one (momentum 0.1 in PyTorch's terms, epsilon
 * 1e-5). The authors' running statistics also start at zero; the trainer does that at
 * initialisation.
 */
public enum BatchNormStyle {
    USUAL(0.9f, 1e-5f),
    AUTHORS(0.999f, 1e-3f);

    /** DJL's momentum: the weight of the old running value. */
    private final float momentum;
    private final float epsilon;

    BatchNormStyle(float momentum, float epsilon) {
        this.momentum = momentum;
        this.epsilon = epsilon;
    }

    /** A BatchNorm block over the channel axis. */
    public Block block() {
        return BatchNorm.builder().optMomentum(momentum).optEpsilon(epsilon).build();
    }
}
