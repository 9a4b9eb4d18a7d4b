package org.spherenet.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * BatchNorm over axis 1, as DJL's {@link BatchNorm} (the same parameters {@code gamma}, {@code
 * beta}, {@code runningMean}, {@code runningVar} in that order, the same initial values, the same
 * engine kernel), with its momentum and epsilon kept in double precision. DJL's block passes them
 * as floats, so a float64 network ran with momentum 0.100000024 and epsilon 9.99999975e-6 instead
 * of 0.1 and 1e-5: the lock-step parity check against PyTorch found its running variances 1e-6
 * apart after 50 steps (docs/FIDELITY.md). For float32 networks nothing changes.
 *
 * <p>Shapes: data {@code (batch, channels, ...)}; all four parameters {@code (channels)}. In
 * training, the output uses the batch's mean and (biased) variance and the running statistics move
 * by {@code running = momentum * running + (1 - momentum) * batch}, the batch variance unbiased
 * (PyTorch's convention) or, with {@code unbiasedRunningVariance} off, biased (the authors'
 * TensorFlow BatchNorm averages what {@code tf.nn.moments} returns); in inference, the running
 * statistics are used.
 */
public class ExactBatchNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final double momentum;
    private final double epsilon;
    private final boolean unbiasedRunningVariance;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    /**
     * Creates the block with PyTorch's running variance (unbiased batch variances).
     *
     * @param momentum the weight of the old running value, in {@code [0, 1)} (DJL's convention;
     *     PyTorch's momentum is {@code 1 - momentum})
     * @param epsilon added to the variance, {@code > 0}
     */
    public ExactBatchNorm(double momentum, double epsilon) {
        this(momentum, epsilon, true);
    }

    /**
     * Creates the block.
     *
     * @param momentum the weight of the old running value, in {@code [0, 1)}
     * @param epsilon added to the variance, {@code > 0}
     * @param unbiasedRunningVariance average the unbiased batch variance (PyTorch) or the biased
     *     one (the authors)
     */
    public ExactBatchNorm(double momentum, double epsilon, boolean unbiasedRunningVariance) {
        super(VERSION);
        if (!(momentum >= 0 && momentum < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException(
                    "need momentum in [0, 1) and epsilon > 0, got " + momentum + ", " + epsilon);
        }
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.unbiasedRunningVariance = unbiasedRunningVariance;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
        runningMean = addParameter(Parameter.builder().setName("runningMean")
                .setType(Parameter.Type.RUNNING_MEAN).optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("runningVar")
                .setType(Parameter.Type.RUNNING_VAR).optRequiresGrad(false).build());
    }

    /**
     * Applies BatchNorm over axis 1; in training, updates the running statistics in place.
     *
     * @param input {@code (batch, channels, ...)}
     * @param runningMean {@code (channels)}
     * @param runningVar {@code (channels)}
     * @param gamma {@code (channels)}
     * @param beta {@code (channels)}
     * @param momentum the weight of the old running value
     * @param epsilon added to the variance
     * @param training use (and move) the batch statistics, else the running ones
     * @return the normalised input, same shape
     */
    public static NDArray batchNorm(NDArray input, NDArray runningMean, NDArray runningVar,
            NDArray gamma, NDArray beta, double momentum, double epsilon, boolean training) {
        if (input instanceof PtNDArray) {
            return JniUtils.batchNorm((PtNDArray) input, (PtNDArray) runningMean,
                    (PtNDArray) runningVar, (PtNDArray) gamma, (PtNDArray) beta, training,
                    1 - momentum, epsilon);
        }
        return BatchNorm.batchNorm(input, runningMean, runningVar, gamma, beta, 1,
                (float) momentum, (float) epsilon, training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        Device device = input.getDevice();
        NDArray variance = parameterStore.getValue(runningVar, device, training);
        boolean biased = training && !unbiasedRunningVariance;
        // the biased variant lets the kernel move a copy (autograd keeps it, so it must not change
        // afterwards) and then writes the corrected value into the running variance
        NDArray moved = biased ? variance.duplicate() : variance;
        NDArray out = batchNorm(input,
                parameterStore.getValue(runningMean, device, training),
                moved,
                parameterStore.getValue(gamma, device, training),
                parameterStore.getValue(beta, device, training),
                momentum, epsilon, training);
        if (biased) {
            // the kernel added (1 - momentum) * s2 * n / (n - 1), s2 the biased batch variance; take
            // out the n / (n - 1): running = (moved (n - 1) + momentum old) / n
            long n = input.size() / input.getShape().get(1);
            try (NDArray corrected = moved.mul((n - 1.0) / n);
                    NDArray old = variance.mul(momentum / n)) {
                corrected.addi(old);
                variance.set(new NDIndex("..."), corrected); // a copy, see Gradients
            }
            moved.close(); // on the model's manager: only the Java handle; autograd keeps its own
        }
        return new NDList(out);
    }

    @Override
    protected void prepare(Shape[] inputs) {
        Shape channels = new Shape(inputs[0].get(1));
        gamma.setShape(channels);
        beta.setShape(channels);
        runningMean.setShape(channels);
        runningVar.setShape(channels);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0]};
    }

    public double getMomentum() {
        return momentum;
    }

    public double getEpsilon() {
        return epsilon;
    }

    @Override
    public String toString() {
        return "ExactBatchNorm(momentum=" + momentum + ", epsilon=" + epsilon + ")";
    }
}
