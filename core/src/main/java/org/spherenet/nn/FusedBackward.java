package org.spherenet.nn;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backward pass through SphereConvs that ran fused ({@link SphereKernels}: everything but the
 * convolution), outside autograd. Autograd cannot differentiate what it did not record, so while a
 * step records here each fused SphereConv cuts the graph three times: its output {@code g} is a
 * fresh leaf, and so are its input (detached) and its unit kernels, so that autograd records the
 * convolution between two leaves and the network below is walked once. After {@code
 * backward(loss)} has reached the last leaves, {@link #backward()} goes through the cuts from the
 * last to the first: the output leaf's gradient, through the fused backward kernel, gives the
 * gradients of the convolution output, which autograd takes down to the input leaf and the unit
 * kernels, and of the patch norm, which the patch norm's kernel adds to the input leaf's gradient;
 * the unit kernels' gradient becomes the kernel's, and the input leaf's continues below the cut.
 *
 * <p>This keeps one full-size array per SphereConv (the convolution output) where autograd kept
 * two, and replaces the chain's and the patch norm's separate operations by one pass each way.
 *
 * <pre>{@code
 * try (FusedBackward fused = FusedBackward.record(images)) {
 *     NDArray loss = ...;             // forward
 *     collector.backward(loss);
 *     fused.backward();               // now every gradient is complete
 * }
 * }</pre>
 *
 * Outside such a block SphereConv is recorded by autograd as always, so a gradient computed any
 * other way is complete without this class. Recording is per thread.
 */
public final class FusedBackward implements AutoCloseable {

    private static final ThreadLocal<FusedBackward> RECORDING = new ThreadLocal<>();

    /** One cut, in the order the forward pass made them. */
    private interface Cut {
        void backward();
    }

    private final List<Cut> cuts = new ArrayList<>();
    /** The handles {@link #cutInput} gave out, and the leaf behind each. */
    private final Map<NDArray, PtNDArray> cutLeaves = new IdentityHashMap<>();
    private final List<NDArray> data;
    private final FusedBackward outer;

    private FusedBackward(List<NDArray> data, FusedBackward outer) {
        this.data = data;
        this.outer = outer;
    }

    /**
     * Starts recording on this thread; close it when the step's backward pass is done.
     *
     * @param data the network's inputs (images): no gradient reaches them, so a SphereConv that
     *     reads them needs no cut
     */
    public static FusedBackward record(NDArray... data) {
        FusedBackward recording = new FusedBackward(List.of(data), RECORDING.get());
        RECORDING.set(recording);
        return recording;
    }

    /**
     * How SphereConv's element-wise part runs in this process, in words: fused native kernels, or
     * the engine's operations and why (not built, turned off, no AVX2). Arrays off the CPU and the
     * learnable g always take the engine's operations.
     */
    public static String kernels() {
        return SphereKernels.describe();
    }

    /** The recording of this thread, or null. */
    static FusedBackward recording() {
        return RECORDING.get();
    }

    /**
     * Where a block's input feeds two paths (a residual unit: its first convolution and its
     * shortcut), cutting it once keeps the backward pass from walking the network below twice.
     * Returns {@code input} itself when nothing records.
     */
    public static NDArray cut(NDArray input) {
        FusedBackward recording = RECORDING.get();
        return recording == null ? input : recording.cutInput(input);
    }

    /**
     * Detaches {@code input} into a leaf; the graph below continues from the leaf's gradient.
     * The network's data and leaves (which end the graph anyway) are returned as they are.
     */
    NDArray cutInput(NDArray input) {
        boolean isData = data.stream().anyMatch(d -> d == input);
        if (isData || !(input instanceof PtNDArray) || JniUtils.requiresGrad((PtNDArray) input)) {
            return input; // DJL's requiresGrad answers true for leaves only
        }
        // our own handle (a view): the network closes its arrays once the next layer used them
        PtNDArray origin = (PtNDArray) input.reshape(input.getShape());
        PtNDArray leaf = (PtNDArray) input.stopGradient();
        leaf.setRequiresGradient(true);
        cuts.add(() -> {
            try (PtNDArray gradient = leaf.getGradient()) {
                // the graph below is freed as it is walked, as in one backward pass: that is what
                // lets the memory go layer by layer
                JniUtils.backward(origin, gradient, false, false);
            } catch (EngineException e) {
                String message = String.valueOf(e.getMessage());
                if (message.contains("a second time")) {
                    throw new IllegalStateException("a tensor below a fused SphereConv also feeds "
                            + "another path (a skip connection): cut it where it branches with "
                            + "FusedBackward.cut, as the residual units do, or set SPHERENET_FUSED=0",
                            e);
                }
                // an input outside the graph that was not named as data: nothing below to reach
                if (!message.contains("does not require grad")) {
                    throw e;
                }
            }
            leaf.close();
            origin.close();
        });
        // a handle the network may close; the view passes its gradient on to the leaf
        NDArray handle = leaf.reshape(leaf.getShape());
        cutLeaves.put(handle, leaf);
        return handle;
    }

    /**
     * Scales every kernel of {@code weight} to unit length outside autograd ({@link
     * SphereKernels#unitKernels}) and returns the result as a leaf; once the convolution's
     * backward pass has filled the leaf's gradient, the kernel's own backward pass turns it into
     * {@code weight}'s, which autograd takes on (to the parameter, or through whatever computed
     * {@code weight}).
     */
    NDArray unitKernels(NDArray weight) {
        NDArray[] scaled = SphereKernels.unitKernels(weight);
        PtNDArray unit = (PtNDArray) scaled[0];
        NDArray norms = scaled[1];
        unit.setRequiresGradient(true);
        cuts.add(() -> {
            try (PtNDArray gradient = unit.getGradient();
                    NDArray gradWeight = SphereKernels.unitKernelsBackward(weight, norms,
                            gradient)) {
                JniUtils.backward((PtNDArray) weight, (PtNDArray) gradWeight, false, false);
            } catch (EngineException e) {
                // a weight outside the graph (frozen): nothing to pass on
                if (!String.valueOf(e.getMessage()).contains("does not require grad")) {
                    throw e;
                }
            }
            unit.close();
            norms.close();
        });
        return unit;
    }

    /** The patch norm's backward pass: {@code dL/d input} from the input and {@code dL/d pn}. */
    interface NormBackward {
        NDArray apply(NDArray input, NDArray gradPn);
    }

    /**
     * Records a fused SphereConv's output {@code g = angular(dots / pn)} as a leaf.
     *
     * @param input the convolution's input, as {@link #cutInput} returned it
     * @param normBackward how the patch norm {@code pn} of {@code input} passes its gradient on
     * @return a handle of {@code g} for the network (which may close it; this class keeps its own)
     */
    NDArray fused(Angular angular, NDArray dots, NDArray pn, NDArray g, NDArray input,
            NormBackward normBackward) {
        PtNDArray leaf = leafOf(input);
        PtNDArray out = (PtNDArray) g;
        out.setRequiresGradient(true);
        cuts.add(() -> {
            NDArray[] d;
            try (PtNDArray gradient = out.getGradient()) {
                d = SphereKernels.backward(angular, gradient, dots, pn);
            }
            // every array goes as soon as it has been used, so that one layer's backward pass
            // holds few full-size arrays at a time (g and its gradient first)
            out.close();
            // the convolution's share reaches the leaf (and the kernel) through autograd
            JniUtils.backward((PtNDArray) dots, (PtNDArray) d[0], false, false);
            d[0].close();
            dots.close();
            // the patch norm's share is added to the leaf's gradient
            if (leaf != null) {
                try (NDArray fromNorm = normBackward.apply(leaf, d[1]);
                        NDArray leafGradient = leaf.getGradient()) {
                    leafGradient.addi(fromNorm);
                }
            }
            d[1].close();
            pn.close();
        });
        return out.reshape(out.getShape());
    }

    /**
     * The leaf a fused SphereConv's input gradient goes to: the cut's leaf, the input itself when
     * it is a leaf of the caller, or null when no gradient is wanted (the network's data).
     */
    private PtNDArray leafOf(NDArray input) {
        PtNDArray leaf = cutLeaves.get(input);
        if (leaf == null && input instanceof PtNDArray in && JniUtils.requiresGrad(in)) {
            return in;
        }
        return leaf;
    }

    /** Completes the backward pass: call it after {@code backward(loss)}. */
    public void backward() {
        for (int i = cuts.size() - 1; i >= 0; i--) {
            cuts.get(i).backward();
        }
        cuts.clear();
        cutLeaves.clear();
    }

    /** Stops recording on this thread. */
    @Override
    public void close() {
        cuts.clear();
        cutLeaves.clear();
        RECORDING.set(outer);
    }
}
