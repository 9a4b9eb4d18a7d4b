package org.spherenet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * SphereConv: a 2-D convolution that sees only the angle between each kernel and each input patch,
 * {@code out = g(theta)}, {@code cos(theta) = <w, x> / (|w| |x|)}, with no bias.
 *
 * <p>Shapes: data {@code (batch, inChannels, height, width)}; weight {@code (filters, inChannels,
 * kh, kw)}; output {@code (batch, filters, outH, outW)} with {@code outH = (height + 2 ph - kh) / sh
 * + 1} (likewise outW), as for {@link Conv2d}.
 *
 * <p>The norms are the authors' (DESIGN section 3): {@code |w_c| = sqrt(sum w_c^2 + 1e-4)} per
 * filter, and {@code |x_patch| = sqrt(conv(x^2, ones(1, inChannels, kh, kw)) + 1e-4)} per output
 * position, with the same stride and zero padding, so padding adds nothing to a patch and an
 * all-zero patch gives {@code cos = 0}.
 *
 * <p>Weights are initialised {@code N(0, sqrt(2 / (kh kw inChannels)))}, the authors' choice; a
 * learnable g adds a parameter {@code kappa} of shape {@code (filters)}.
 */
public class SphereConv2d extends AbstractBlock implements SphereOperator {

    private static final byte VERSION = 1;

    private final Shape kernelShape;
    private final Shape stride;
    private final Shape padding;
    private final int filters;
    private final Angular angular;
    private final Parameter weight;
    private final Parameter kappa;

    SphereConv2d(SphereConvBuilder<?> builder) {
        super(VERSION);
        kernelShape = builder.kernelShape;
        stride = builder.stride;
        padding = builder.padding;
        filters = builder.filters;
        angular = builder.angular;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .build());
        kappa = angular.isLearnable() ? addParameter(kappaParameter()) : null;
    }

    /** The per-channel curvature parameter of a learnable angular function. */
    static Parameter kappaParameter() {
        return Parameter.builder()
                .setName("kappa")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer((float) LearnableSigmoidAngular.KAPPA_INIT))
                .build();
    }

    /** Returns a builder, as {@link Conv2d#builder()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies SphereConv with stride 1 and no padding.
     *
     * @see #sphereConv2d(NDArray, NDArray, Angular, Shape, Shape)
     */
    public static NDArray sphereConv2d(NDArray input, NDArray weight, Angular angular) {
        return sphereConv2d(input, weight, angular, new Shape(1, 1), new Shape(0, 0));
    }

    /**
     * Applies SphereConv: {@code g(cos)} with {@code cos} from {@link #cosine}.
     *
     * @param input {@code (batch, inChannels, height, width)}
     * @param weight {@code (filters, inChannels, kh, kw)}
     * @param angular g; a learnable g must be bound to its kappa ({@link Angular#withKappa})
     * @param stride {@code (sh, sw)}
     * @param padding zero padding {@code (ph, pw)}
     * @return {@code (batch, filters, outH, outW)}, values in {@code [-1, 1]}
     */
    public static NDArray sphereConv2d(
            NDArray input, NDArray weight, Angular angular, Shape stride, Shape padding) {
        if (SphereKernels.fuses(angular, input)
                && (FusedBackward.recording() != null || !JniUtils.isGradMode())) {
            return fused(input, weight, angular, stride, padding);
        }
        // Intermediates are closed as soon as they are used: DJL would keep them to the end of the
        // step, while autograd keeps what its backward needs and frees it layer by layer.
        NDArray cos = cosine(input, weight, stride, padding);
        NDArray g = angular.apply(cos);
        if (g != cos) { // the cosine operator returns the cosine itself
            cos.close();
        }
        return g;
    }

    /**
     * The same values with the unit kernels, the patch norm and the element-wise part each in one
     * native pass ({@link SphereKernels}): while a training step records ({@link FusedBackward}),
     * the convolution output and the patch norm are kept for the backward pass; with no gradient
     * recorded (evaluation), they are freed.
     */
    private static NDArray fused(
            NDArray input, NDArray weight, Angular angular, Shape stride, Shape padding) {
        FusedBackward recording = FusedBackward.recording();
        NDArray x = recording == null ? input : recording.cutInput(input);
        Shape kernel = weight.getShape().slice(2);
        NDArray dots;
        if (recording == null) {
            NDArray[] unit = SphereKernels.unitKernels(weight);
            dots = convolve(x, unit[0], stride, padding);
            unit[0].close();
            unit[1].close();
        } else {
            dots = convolve(x, recording.unitKernels(weight), stride, padding);
        }
        NDArray pn = SphereKernels.patchNorm(x, kernel, stride, padding);
        NDArray g = SphereKernels.forward(angular, dots, pn);
        if (recording == null) {
            dots.close();
            pn.close();
            return g;
        }
        return recording.fused(angular, dots, pn, g, x, (in, gradPn) ->
                SphereKernels.patchNormBackward(in, pn, gradPn, kernel, stride, padding));
    }

    /**
     * The cosine between every kernel and every patch it slides over, with the authors' norms.
     * Same shapes as {@link #sphereConv2d(NDArray, NDArray, Angular, Shape, Shape)}.
     */
    public static NDArray cosine(NDArray input, NDArray weight, Shape stride, Shape padding) {
        try (NDArray dots = unitDots(input, weight, stride, padding)) {
            return dots.div(patchNorm(input, weight.getShape().slice(2), stride, padding));
        }
    }

    /** The convolution with every kernel scaled to unit length: {@code <w, x> / |w|}. */
    private static NDArray unitDots(NDArray input, NDArray weight, Shape stride, Shape padding) {
        // Normalise the small kernel before the convolution rather than dividing the big output.
        return convolve(input, weight.div(Hypersphere.norm(weight, 1, 2, 3)), stride, padding);
    }

    private static NDArray convolve(NDArray input, NDArray kernels, Shape stride, Shape padding) {
        return Conv2d.conv2d(input, kernels, null, stride, padding).singletonOrThrow();
    }

    /**
     * {@code sqrt(conv(x^2, ones(1, inChannels, kh, kw)) + 1e-4)}: one norm per sample and output
     * position, {@code (batch, 1, outH, outW)}. Summing the channels first makes the ones-kernel
     * convolution single-channel, and {@link #windowSum} computes it.
     */
    static NDArray patchNorm(NDArray input, Shape kernel, Shape stride, Shape padding) {
        NDArray energy;
        // the squares are as large as the input and nothing keeps them (the sum's backward needs
        // only their shape): free them now rather than when the step's scope closes
        try (NDArray squares = input.square()) {
            energy = squares.sum(new int[] {1}, true);
        }
        return windowSum(energy, kernel, stride, padding).add(Hypersphere.EPSILON).sqrt();
    }

    /**
     * The sum over every {@code kh x kw} window of a single-channel map, with the stride and zero
     * padding of a convolution: what a convolution with a ones kernel computes, as two matrix
     * products with 0/1 band matrices (columns, then rows). On one channel that is much cheaper
     * than the convolution, whose backward pass alone cost more than both products forward and
     * backward (docs/PERFORMANCE.md, issue 14). The same terms are summed (the products by 1 and
     * 0 are exact), in another order.
     *
     * @param map {@code (batch, 1, height, width)}
     * @return {@code (batch, 1, outH, outW)}, as {@link #outputShape}
     */
    static NDArray windowSum(NDArray map, Shape kernel, Shape stride, Shape padding) {
        long batch = map.getShape().get(0);
        long height = map.getShape().get(2);
        long width = map.getShape().get(3);
        NDManager manager = map.getManager();
        DataType type = map.getDataType();
        // (batch * height, width) x (width, outW): the column sums of every row
        NDArray columns = band(manager, width, kernel.get(1), stride.get(1), padding.get(1), type);
        long outW = columns.getShape().get(1);
        NDArray rowSums = map.reshape(batch * height, width).matMul(columns);
        // (outH, height) x (batch, height, outW): then the rows
        NDArray rows = band(manager, height, kernel.get(0), stride.get(0), padding.get(0), type)
                .transpose();
        long outH = rows.getShape().get(0);
        return rows.matMul(rowSums.reshape(batch, height, outW)).reshape(batch, 1, outH, outW);
    }

    /**
     * The {@code (n, out)} matrix with a 1 where input position {@code i} lies in output window
     * {@code o} ({@code o * stride - padding <= i < o * stride - padding + kernel}), 0 elsewhere.
     */
    private static NDArray band(
            NDManager manager, long n, long kernel, long stride, long padding, DataType type) {
        int out = (int) ((n + 2 * padding - kernel) / stride + 1);
        float[] ones = new float[(int) n * out];
        for (int o = 0; o < out; o++) {
            long first = o * stride - padding;
            for (long i = Math.max(first, 0); i < Math.min(first + kernel, n); i++) {
                ones[(int) i * out + o] = 1;
            }
        }
        // made in a Java buffer, which a garbage collection may free while autograd still keeps the
        // matrix for the backward pass: hand out the engine's own copy (as Constant does). A
        // conversion already is one; converting to the same type returns the borrowed array.
        try (NDArray borrowed = manager.create(ones, new Shape(n, out))) {
            NDArray typed = borrowed.toType(type, false);
            return typed == borrowed ? borrowed.duplicate() : typed;
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, input.getDevice(), training);
        Angular g = bind(angular, kappa, parameterStore, input, training);
        return new NDList(sphereConv2d(input, w, g, stride, padding));
    }

    /** Binds a learnable g to this forward pass's kappa; a fixed g (kappa null) is returned as is. */
    static Angular bind(
            Angular angular,
            Parameter kappa,
            ParameterStore parameterStore,
            NDArray input,
            boolean training) {
        return kappa == null
                ? angular
                : angular.withKappa(parameterStore.getValue(kappa, input.getDevice(), training));
    }

    @Override
    protected void prepare(Shape[] inputs) {
        weight.setShape(new Shape(filters, inputs[0].get(1)).addAll(kernelShape));
        if (kappa != null) {
            kappa.setShape(new Shape(filters));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {outputShape(inputs[0], filters, kernelShape, stride, padding)};
    }

    /** The output shape of a convolution without dilation, as {@link Conv2d} computes it. */
    static Shape outputShape(
            Shape input, int filters, Shape kernelShape, Shape stride, Shape padding) {
        long[] shape = {input.get(0), filters, 0, 0};
        for (int i = 0; i < 2; i++) {
            shape[2 + i] =
                    (input.get(2 + i) + 2 * padding.get(i) - kernelShape.get(i)) / stride.get(i)
                            + 1;
        }
        return new Shape(shape);
    }

    @Override
    public Parameter getWeight() {
        return weight;
    }

    @Override
    public Angular getAngular() {
        return angular;
    }

    public Shape getKernelShape() {
        return kernelShape;
    }

    public Shape getStride() {
        return stride;
    }

    public Shape getPadding() {
        return padding;
    }

    public int getFilters() {
        return filters;
    }

    @Override
    public String toString() {
        return "SphereConv2d(" + filters + ", kernel=" + kernelShape + ", stride=" + stride
                + ", padding=" + padding + ", g=" + angular + ")";
    }

    /** Builds a {@link SphereConv2d}; kernel shape and filters are required. */
    public static final class Builder extends SphereConvBuilder<Builder> {

        Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the block.
         *
         * @throws IllegalArgumentException if a setting is missing or out of range
         */
        public SphereConv2d build() {
            validate();
            return new SphereConv2d(this);
        }
    }
}
