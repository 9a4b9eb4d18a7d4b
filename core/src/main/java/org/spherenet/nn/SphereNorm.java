package org.spherenet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * SphereNorm: the SphereConv normalisation used as a normalisation layer for a convolution. Each
 * output is normalised by its own patch and kernel norms, so, unlike BatchNorm, it never looks at
 * the rest of the batch, which is why it holds up at small batch sizes. The rescaled variant adds a
 * learnable per-channel scale and shift ({@code gamma} initialised to 1, {@code beta} to 0), so the
 * layer can move back towards the scale of a plain convolution. Use it with or without a BatchNorm
 * after it.
 *
 * <p>Shapes as {@link SphereConv2d}; {@code gamma} and {@code beta} are {@code (filters)}.
 */
public class SphereNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final SphereConv2d sphereConv;
    private final Parameter gamma;
    private final Parameter beta;

    SphereNorm(Builder builder) {
        super(VERSION);
        sphereConv = addChildBlock("sphereConv", new SphereConv2d(builder));
        if (builder.rescaled) {
            gamma =
                    addParameter(
                            Parameter.builder()
                                    .setName("gamma")
                                    .setType(Parameter.Type.GAMMA)
                                    .build());
            beta =
                    addParameter(
                            Parameter.builder()
                                    .setName("beta")
                                    .setType(Parameter.Type.BETA)
                                    .build());
        } else {
            gamma = null;
            beta = null;
        }
    }

    /** Returns a builder; the angular function defaults to {@link Angular#cosine()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies SphereNorm: {@code gamma_c * g(cos) + beta_c}, or {@code g(cos)} when not rescaled.
     *
     * @param input {@code (batch, inChannels, height, width)}
     * @param weight {@code (filters, inChannels, kh, kw)}
     * @param angular g (bound, if learnable)
     * @param stride {@code (sh, sw)}
     * @param padding zero padding {@code (ph, pw)}
     * @param gamma per-channel scale {@code (filters)}, or null for the plain variant
     * @param beta per-channel shift {@code (filters)}, or null for the plain variant
     * @return {@code (batch, filters, outH, outW)}
     */
    public static NDArray sphereNorm(
            NDArray input,
            NDArray weight,
            Angular angular,
            Shape stride,
            Shape padding,
            NDArray gamma,
            NDArray beta) {
        NDArray out = SphereConv2d.sphereConv2d(input, weight, angular, stride, padding);
        return gamma == null ? out : rescale(out, gamma, beta);
    }

    /** {@code gamma_c * x + beta_c} over axis 1 of {@code (batch, channels, h, w)}. */
    private static NDArray rescale(NDArray x, NDArray gamma, NDArray beta) {
        Shape perChannel = new Shape(gamma.size(), 1, 1);
        return x.mul(gamma.reshape(perChannel)).add(beta.reshape(perChannel));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList normalised = sphereConv.forward(parameterStore, inputs, training, params);
        if (gamma == null) {
            return normalised;
        }
        NDArray out = normalised.singletonOrThrow();
        NDArray g = parameterStore.getValue(gamma, out.getDevice(), training);
        NDArray b = parameterStore.getValue(beta, out.getDevice(), training);
        return new NDList(rescale(out, g, b));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        sphereConv.initialize(manager, dataType, inputShapes);
    }

    @Override
    protected void prepare(Shape[] inputs) {
        if (gamma != null) {
            gamma.setShape(new Shape(sphereConv.getFilters()));
            beta.setShape(new Shape(sphereConv.getFilters()));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return sphereConv.getOutputShapes(inputs);
    }

    /** The SphereConv that computes the normalised response. */
    public SphereConv2d getSphereConv() {
        return sphereConv;
    }

    public boolean isRescaled() {
        return gamma != null;
    }

    @Override
    public String toString() {
        return "SphereNorm(" + sphereConv + (isRescaled() ? ", rescaled)" : ")");
    }

    /** Builds a {@link SphereNorm}; kernel shape and filters are required. */
    public static final class Builder extends SphereConvBuilder<Builder> {

        private boolean rescaled = true;

        Builder() {
            angular = Angular.cosine();
        }

        /** Whether to learn a per-channel scale and shift; default true. */
        public Builder optRescaled(boolean rescaled) {
            this.rescaled = rescaled;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Builds the block, validating the settings. */
        public SphereNorm build() {
            validate();
            return new SphereNorm(this);
        }
    }
}
