package org.spherenet.nn;

import ai.djl.ndarray.NDArray;

/**
 * Constants for arithmetic that autograd records. DJL 0.27's {@code x.mul(2.0)} wraps the 2.0 in
 * an array whose memory is a Java buffer and closes that array as soon as the product is made;
 * autograd keeps the constant for the backward pass (the gradient of {@code x * c} is {@code g *
 * c}), so a garbage collection in between frees memory the backward pass still reads, and the
 * gradient is scaled by whatever the allocator put there (seen: gradients exactly zero or NaN below
 * one layer of a deep SphereNet, at random; {@code ConstantLifetimeTest}). The arrays made here
 * hold their value in memory the engine allocated. Adding or subtracting a number is safe as it
 * is: autograd keeps nothing of the number.
 */
public final class Constant {

    private Constant() {}

    /**
     * Returns a 0-d array holding {@code value} in {@code like}'s data type, on its device and
     * manager (a 0-d array does not change the type of what it multiplies, a double would).
     */
    public static NDArray like(NDArray like, double value) {
        try (NDArray borrowed = like.getManager().create(value)) { // float64, in a Java buffer
            NDArray typed = borrowed.toType(like.getDataType(), false);
            // a conversion already made the engine's own copy; otherwise make one
            return typed == borrowed ? borrowed.duplicate() : typed;
        }
    }
}
