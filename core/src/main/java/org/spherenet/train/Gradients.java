package org.spherenet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/** Small operations on the gradients of parameters (PyTorch accumulates them until cleared). */
final class Gradients {

    private Gradients() {}

    /** Zeroes a finite gradient in place (cheap: no allocation). */
    static void clear(NDArray weight) {
        NDArray grad = weight.getGradient();
        grad.subi(grad);
    }

    /**
     * Zeroes a gradient that may hold NaN or infinity (where {@code g - g} would not). It writes
     * into the tensor: {@code NDArray.set(Buffer)} would instead make the tensor use the Java
     * buffer's memory, kept alive only by this short-lived gradient handle (seen: glibc "corrupted
     * size" aborts a few steps after a skipped step).
     */
    static void reset(NDArray weight) {
        weight.getGradient().set(new NDIndex("..."), 0);
    }

    /**
     * Whether every gradient is finite, with one synchronisation: NaN and infinities survive a
     * sum (and a sum that overflows means gradients too large to use anyway).
     */
    static boolean allFinite(List<TrainableParameter> params) {
        NDArray total = null;
        for (TrainableParameter p : params) {
            NDArray sum = p.array().getGradient().sum();
            total = total == null ? sum : total.add(sum);
        }
        return total == null || Double.isFinite(Scalars.value(total));
    }
}
