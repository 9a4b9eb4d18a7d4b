package org.spherenet.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import org.spherenet.nn.Angular;
import org.spherenet.nn.SphereNorm;

/**
 * How every convolution unit of a network is made: operator, then optional SphereNorm rescaling,
 * optional BatchNorm, optional ReLU. One place, so that all networks vary the same way.
 *
 * @param operator the convolution
 * @param sphereNorm use the SphereNorm block: the convolution normalised by its patch and kernel
 *     norms (with the operator's g, or the cosine for a plain operator)
 * @param rescaled with SphereNorm, learn a per-channel scale and shift
 * @param batchNorm follow the convolution with BatchNorm
 * @param batchNormStyle which BatchNorm
 */
public record ConvStyle(
        Operator operator,
        boolean sphereNorm,
        boolean rescaled,
        boolean batchNorm,
        BatchNormStyle batchNormStyle) {

    /** The operator with BatchNorm, the authors' configuration. */
    public static ConvStyle of(Operator operator) {
        return new ConvStyle(operator, false, false, true, BatchNormStyle.USUAL);
    }

    /** A convolution unit: conv (or SphereNorm), then BatchNorm and ReLU as configured. */
    public Block unit(int filters, int kernel, int stride, int padding, boolean relu) {
        return unit(filters, kernel, stride, padding, relu, batchNorm);
    }

    /** A unit with its own BatchNorm switch (the authors' fc6 has one). */
    public Block unit(
            int filters, int kernel, int stride, int padding, boolean relu, boolean withBatchNorm) {
        SequentialBlock unit =
                new ReleasingSequentialBlock().add(conv(filters, kernel, stride, padding));
        if (withBatchNorm) {
            unit.add(batchNormStyle.block());
        }
        if (relu) {
            unit.add(Activation.reluBlock());
        }
        return unit;
    }

    private Block conv(int filters, int kernel, int stride, int padding) {
        if (!sphereNorm) {
            return operator.conv(filters, kernel, stride, padding);
        }
        Angular g = operator.isSphere() ? operator.angular() : Angular.cosine();
        return SphereNorm.builder()
                .setKernelShape(new ai.djl.ndarray.types.Shape(kernel, kernel))
                .setFilters(filters)
                .optStride(new ai.djl.ndarray.types.Shape(stride, stride))
                .optPadding(new ai.djl.ndarray.types.Shape(padding, padding))
                .optAngular(g)
                .optRescaled(rescaled)
                .build();
    }

    /** The same style with another operator. */
    public ConvStyle withOperator(Operator other) {
        return new ConvStyle(other, sphereNorm, rescaled, batchNorm, batchNormStyle);
    }
}
