package org.spherenet.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import org.spherenet.nn.Angular;
import org.spherenet.nn.SphereConv2d;

/**
 * The convolution a network is built from: the plain inner product, or SphereConv with an angular
 * function. Every network takes one, so each SphereNet has its CNN twin by construction.
 *
 * @param angular g for SphereConv, or null for the plain convolution
 */
public record Operator(Angular angular) {

    /** The plain convolution (no bias: BatchNorm follows it, as in the authors' nets). */
    public static Operator plain() {
        return new Operator(null);
    }

    /** SphereConv with the angular function g. */
    public static Operator sphere(Angular angular) {
        return new Operator(angular);
    }

    /**
     * Parses {@code conv} (or {@code plain}) and the names of {@link Angular#parse(String)}.
     *
     * @throws IllegalArgumentException naming the valid choices
     */
    public static Operator parse(String name) {
        String s = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("conv") || s.equals("plain")) {
            return plain();
        }
        try {
            return sphere(Angular.parse(s));
        } catch (IllegalArgumentException e) {
            if (s.startsWith("sigmoid")) { // a known operator with a bad k: say what is wrong with it
                throw new IllegalArgumentException("operator '" + name + "': " + e.getMessage());
            }
            throw new IllegalArgumentException(
                    "unknown operator '"
                            + name
                            + "' (expected conv, linear, cosine, sigmoid(K) or learnable-sigmoid)");
        }
    }

    public boolean isSphere() {
        return angular != null;
    }

    /** A k x k convolution block with this operator. */
    public Block conv(int filters, int kernel, int stride, int padding) {
        Shape k = new Shape(kernel, kernel);
        Shape s = new Shape(stride, stride);
        Shape p = new Shape(padding, padding);
        if (angular == null) {
            return Conv2d.builder()
                    .setKernelShape(k)
                    .setFilters(filters)
                    .optStride(s)
                    .optPadding(p)
                    .optBias(false)
                    .build();
        }
        return SphereConv2d.builder()
                .setKernelShape(k)
                .setFilters(filters)
                .optStride(s)
                .optPadding(p)
                .optAngular(angular)
                .build();
    }

    @Override
    public String toString() {
        return angular == null ? "conv" : angular.toString();
    }
}
