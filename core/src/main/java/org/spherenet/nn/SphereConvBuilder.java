package org.spherenet.nn;

import ai.djl.ndarray.types.Shape;

/**
 * The settings shared by the convolution-shaped hyperspherical blocks ({@link SphereConv2d},
 * {@link SphereNorm}), in the style of DJL's {@code Convolution.ConvolutionBuilder}.
 *
 * @param <T> the concrete builder
 */
public abstract class SphereConvBuilder<T extends SphereConvBuilder<T>> {

    protected Shape kernelShape;
    protected Shape stride = new Shape(1, 1);
    protected Shape padding = new Shape(0, 0);
    protected int filters;
    protected Angular angular = Angular.linear();

    /** Sets the kernel size, {@code (kh, kw)}. */
    public T setKernelShape(Shape kernelShape) {
        this.kernelShape = kernelShape;
        return self();
    }

    /** Sets the number of output channels. */
    public T setFilters(int filters) {
        this.filters = filters;
        return self();
    }

    /** Sets the stride, {@code (sh, sw)}; default {@code (1, 1)}. */
    public T optStride(Shape stride) {
        this.stride = stride;
        return self();
    }

    /** Sets the zero padding on each side, {@code (ph, pw)}; default {@code (0, 0)}. */
    public T optPadding(Shape padding) {
        this.padding = padding;
        return self();
    }

    /** Sets the angular function g; default {@link Angular#linear()}. */
    public T optAngular(Angular angular) {
        this.angular = angular;
        return self();
    }

    protected void validate() {
        requireTwoPositive("kernel shape", kernelShape, 1);
        requireTwoPositive("stride", stride, 1);
        requireTwoPositive("padding", padding, 0);
        if (filters <= 0) {
            throw new IllegalArgumentException("filters must be > 0, got " + filters);
        }
        if (angular == null) {
            throw new IllegalArgumentException("angular function must not be null");
        }
    }

    private static void requireTwoPositive(String what, Shape shape, long min) {
        if (shape == null || shape.dimension() != 2 || shape.get(0) < min || shape.get(1) < min) {
            throw new IllegalArgumentException(
                    what + " must be two numbers >= " + min + ", got " + shape);
        }
    }

    protected abstract T self();
}
