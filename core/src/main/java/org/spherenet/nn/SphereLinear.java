package org.spherenet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The fully-connected SphereConv: the whole input vector is the patch, {@code out_j = g(theta_j)}
 * with {@code cos(theta_j) = <w_j, x> / (|w_j| |x|)} and the norms of {@link SphereConv2d}.
 *
 * <p>Shapes: data {@code (batch, ...)} (flattened to {@code (batch, inFeatures)}); weight {@code
 * (units, inFeatures)}; output {@code (batch, units)}.
 */
public class SphereLinear extends AbstractBlock implements SphereOperator {

    private static final byte VERSION = 1;

    private final int units;
    private final Angular angular;
    private final Parameter weight;
    private final Parameter kappa;

    SphereLinear(Builder builder) {
        super(VERSION);
        units = builder.units;
        angular = builder.angular;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .build());
        kappa = angular.isLearnable() ? addParameter(SphereConv2d.kappaParameter()) : null;
    }

    /** Returns a builder, as {@link Linear#builder()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies the fully-connected SphereConv.
     *
     * @param input {@code (batch, ...)}, flattened to {@code (batch, inFeatures)}
     * @param weight {@code (units, inFeatures)}
     * @param angular g; a learnable g must be bound to its kappa
     * @return {@code (batch, units)}, values in {@code [-1, 1]}
     */
    public static NDArray sphereLinear(NDArray input, NDArray weight, Angular angular) {
        return angular.apply(cosine(input, weight));
    }

    /** The cosines between every input row and every weight row, {@code (batch, units)}. */
    public static NDArray cosine(NDArray input, NDArray weight) {
        NDArray x = input.reshape(input.getShape().get(0), -1);
        NDArray unitWeight = weight.div(Hypersphere.norm(weight, 1));
        return Linear.linear(x, unitWeight).singletonOrThrow().div(Hypersphere.norm(x, 1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, input.getDevice(), training);
        Angular g = SphereConv2d.bind(angular, kappa, parameterStore, input, training);
        return new NDList(sphereLinear(input, w, g));
    }

    @Override
    protected void prepare(Shape[] inputs) {
        weight.setShape(new Shape(units, inputs[0].size() / inputs[0].get(0)));
        if (kappa != null) {
            kappa.setShape(new Shape(units));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), units)};
    }

    @Override
    public Parameter getWeight() {
        return weight;
    }

    @Override
    public Angular getAngular() {
        return angular;
    }

    public int getUnits() {
        return units;
    }

    @Override
    public String toString() {
        return "SphereLinear(" + units + ", g=" + angular + ")";
    }

    /** Builds a {@link SphereLinear}; the number of units is required. */
    public static final class Builder {

        private int units;
        private Angular angular = Angular.linear();

        Builder() {}

        /** Sets the number of outputs. */
        public Builder setUnits(int units) {
            this.units = units;
            return this;
        }

        /** Sets the angular function g; default {@link Angular#linear()}. */
        public Builder optAngular(Angular angular) {
            this.angular = angular;
            return this;
        }

        /**
         * Builds the block.
         *
         * @throws IllegalArgumentException if units is not positive or g is null
         */
        public SphereLinear build() {
            if (units <= 0) {
                throw new IllegalArgumentException("units must be > 0, got " + units);
            }
            if (angular == null) {
                throw new IllegalArgumentException("angular function must not be null");
            }
            return new SphereLinear(this);
        }
    }
}
