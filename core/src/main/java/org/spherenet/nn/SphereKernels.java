package org.spherenet.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.IntStream;

/**
 * Everything of a SphereConv but its convolution, each part and its backward pass in one native
 * pass (src/main/c/sphere_kernels.c) instead of the many small operations, and the arrays,
 * autograd needs for it (docs/PERFORMANCE.md, issue 14): the element-wise part {@code g(dots /
 * pn)}, the patch norms {@code pn} and the unit kernels {@code w / |w|}. Each rounds every value
 * as the engine's operations do, up to the order of its sums and the last bit of asin and tanh,
 * so both ways give the same numbers to a few ulps (SphereConvFusedTest).
 *
 * <p>Available for float32 and float64 arrays in CPU memory, on x86-64 with AVX2, for the fixed
 * angular functions (linear, cosine, sigmoid); everything else, and any machine where the library
 * was not built or does not load, takes the engine's operations. {@code -Dspherenet.fused=false}
 * (or {@code SPHERENET_FUSED=0}) turns it off, to compare.
 */
final class SphereKernels {

    private static final int COSINE = 0;
    private static final int LINEAR = 1;
    private static final int SIGMOID = 2;
    /** Elements per thread below which a kernel runs on the calling thread alone. */
    private static final long GRAIN = 32768;

    /** Why the kernels are not used, or null when they are. */
    private static final String UNAVAILABLE = load();
    private static final boolean LOADED = UNAVAILABLE == null;

    private SphereKernels() {}

    /** Whether the native library is here and enabled. */
    static boolean loaded() {
        return LOADED;
    }

    /** How SphereConv's element-wise part runs in this process, in words. */
    static String describe() {
        return LOADED ? "fused native kernels (Sleef)" : "engine operations (" + UNAVAILABLE + ")";
    }

    /** Whether {@code g(dots / pn)} can run fused for these arrays. */
    static boolean fuses(Angular g, NDArray dots) {
        DataType type = dots.getDataType();
        return LOADED
                && Form.of(g) != null
                && (type == DataType.FLOAT32 || type == DataType.FLOAT64)
                && dots.getDevice().equals(Device.cpu())
                && dots instanceof PtNDArray;
    }

    /**
     * {@code g(dots / pn)}, not recorded by autograd.
     *
     * @param dots {@code (batch, filters, outH, outW)}
     * @param pn {@code (batch, 1, outH, outW)}
     */
    static NDArray forward(Angular g, NDArray dots, NDArray pn) {
        NDArray out = dots.getManager().create(dots.getShape(), dots.getDataType()); // uninitialised
        ByteBuffer d = buffer(dots);
        ByteBuffer p = buffer(pn);
        ByteBuffer o = buffer(out);
        Layout l = Layout.of(dots);
        Form f = Form.of(g);
        bySamples(l.batch(), dots.size(), (from, to) -> forward(d, p, o, from, to, l.channels(),
                l.positions(), l.float64(), f.kind(), f.a(), f.b()));
        return out;
    }

    /**
     * The gradients of {@link #forward}'s output with respect to {@code dots} and to {@code pn},
     * given {@code grad}, the gradient with respect to the output.
     *
     * @return {@code {dL/d dots, dL/d pn}}, shaped as {@code dots} and {@code pn}
     */
    static NDArray[] backward(Angular g, NDArray grad, NDArray dots, NDArray pn) {
        NDArray gradDots = dots.getManager().create(dots.getShape(), dots.getDataType());
        NDArray gradPn = pn.getManager().create(pn.getShape(), pn.getDataType());
        ByteBuffer dg = buffer(grad);
        ByteBuffer d = buffer(dots);
        ByteBuffer p = buffer(pn);
        ByteBuffer dd = buffer(gradDots);
        ByteBuffer dp = buffer(gradPn);
        Layout l = Layout.of(dots);
        Form f = Form.of(g);
        bySamples(l.batch(), dots.size(), (from, to) -> backward(dg, d, p, dd, dp, from, to,
                l.channels(), l.positions(), l.float64(), f.kind(), f.a(), f.b()));
        return new NDArray[] {gradDots, gradPn};
    }

    /**
     * The patch norms of a convolution's input, as {@link SphereConv2d#patchNorm} computes them,
     * not recorded by autograd.
     *
     * @param input {@code (batch, inChannels, height, width)}, a CPU array of float32 or float64
     * @return {@code (batch, 1, outH, outW)}
     */
    static NDArray patchNorm(NDArray input, Shape kernel, Shape stride, Shape padding) {
        long[] g = geometry(input, kernel, stride, padding);
        NDArray pn = input.getManager().create(
                new Shape(input.getShape().get(0), 1, g[9], g[10]), input.getDataType());
        ByteBuffer x = buffer(input);
        ByteBuffer p = buffer(pn);
        boolean float64 = input.getDataType() == DataType.FLOAT64;
        bySamples(input.getShape().get(0), input.size(),
                (from, to) -> patchNorm(x, p, from, to, g, float64));
        return pn;
    }

    /**
     * The gradient of {@link #patchNorm}'s output with respect to its input, given {@code gradPn},
     * the gradient with respect to the norms.
     *
     * @return {@code dL/d input}, shaped as {@code input}
     */
    static NDArray patchNormBackward(NDArray input, NDArray pn, NDArray gradPn, Shape kernel,
            Shape stride, Shape padding) {
        long[] g = geometry(input, kernel, stride, padding);
        NDArray gradInput = input.getManager().create(input.getShape(), input.getDataType());
        ByteBuffer x = buffer(input);
        ByteBuffer p = buffer(pn);
        ByteBuffer dp = buffer(gradPn);
        ByteBuffer dx = buffer(gradInput);
        boolean float64 = input.getDataType() == DataType.FLOAT64;
        bySamples(input.getShape().get(0), input.size(),
                (from, to) -> patchNormBackward(x, p, dp, dx, from, to, g, float64));
        return gradInput;
    }

    /**
     * Every kernel scaled to unit length, {@code w / sqrt(sum(w^2) + 1e-4)} per filter, as {@link
     * SphereConv2d} computes it through {@link Hypersphere#norm}, not recorded by autograd.
     *
     * @param weight {@code (filters, inChannels, kh, kw)}, a CPU array of float32 or float64
     * @return {@code {unit kernels (shaped as weight), norms (filters)}}
     */
    static NDArray[] unitKernels(NDArray weight) {
        long filters = weight.getShape().get(0);
        NDArray unit = weight.getManager().create(weight.getShape(), weight.getDataType());
        NDArray norms = weight.getManager().create(new Shape(filters), weight.getDataType());
        unitKernels(buffer(weight), buffer(unit), buffer(norms), filters, weight.size() / filters,
                weight.getDataType() == DataType.FLOAT64);
        return new NDArray[] {unit, norms};
    }

    /**
     * The gradient of {@link #unitKernels}' unit kernels with respect to {@code weight}, given
     * {@code gradUnit}, the gradient with respect to the unit kernels.
     */
    static NDArray unitKernelsBackward(NDArray weight, NDArray norms, NDArray gradUnit) {
        long filters = weight.getShape().get(0);
        NDArray gradWeight = weight.getManager().create(weight.getShape(), weight.getDataType());
        unitKernelsBackward(buffer(weight), buffer(norms), buffer(gradUnit), buffer(gradWeight),
                filters, weight.size() / filters, weight.getDataType() == DataType.FLOAT64);
        return gradWeight;
    }

    /** As the kernels read it: channels, height, width, kh, kw, sh, sw, ph, pw, outH, outW. */
    private static long[] geometry(NDArray input, Shape kernel, Shape stride, Shape padding) {
        Shape in = input.getShape();
        Shape out = SphereConv2d.outputShape(in, 1, kernel, stride, padding);
        return new long[] {in.get(1), in.get(2), in.get(3), kernel.get(0), kernel.get(1),
            stride.get(0), stride.get(1), padding.get(0), padding.get(1), out.get(2), out.get(3)};
    }

    /** How the kernels see a {@code (batch, channels, outH, outW)} array. */
    private record Layout(long batch, long channels, long positions, boolean float64) {
        static Layout of(NDArray dots) {
            Shape shape = dots.getShape();
            return new Layout(shape.get(0), shape.get(1), shape.get(2) * shape.get(3),
                    dots.getDataType() == DataType.FLOAT64);
        }
    }

    private interface SampleRange {
        void run(long from, long to);
    }

    /**
     * Splits the batch into one contiguous share per intra-op thread of the engine (the caller
     * runs one share), as the engine splits its own element-wise operations: only where each
     * thread gets at least {@link #GRAIN} elements, since handing a small array to another
     * thread costs more than it saves (the engine's own grain, at::internal::GRAIN_SIZE).
     *
     * @param elements the elements of the largest array the kernel goes through
     */
    private static void bySamples(long batch, long elements, SampleRange range) {
        long byWork = Math.max(1, elements / GRAIN);
        int threads = (int) Math.min(Math.min(JniUtils.getNumThreads(), batch), byWork);
        if (threads == 1) {
            range.run(0, batch);
            return;
        }
        IntStream.range(0, threads).parallel().forEach(t ->
                range.run(batch * t / threads, batch * (t + 1) / threads));
    }

    /**
     * How the kernels compute g: {@code kind} (cosine, linear, sigmoid), the factor {@code a}
     * after asin and the divisor {@code b} after tanh, as the angular functions write them.
     */
    private record Form(int kind, double a, double b) {

        /** The form of {@code g}, or null where the kernels have none (the learnable sigmoid). */
        static Form of(Angular g) {
            if (g instanceof LinearAngular) {
                return new Form(LINEAR, LinearAngular.SLOPE, 1);
            } else if (g instanceof CosineAngular) {
                return new Form(COSINE, 1, 1);
            } else if (g instanceof SigmoidAngular s) {
                return new Form(SIGMOID, 1 / (2 * s.k()), s.tanhQuarterPi());
            }
            return null; // the learnable sigmoid: its kappa needs a gradient too
        }
    }

    /** The array's own memory: a contiguous CPU array is not copied. */
    private static ByteBuffer buffer(NDArray array) {
        ByteBuffer buffer = JniUtils.getByteBuffer((PtNDArray) array, true);
        if (!buffer.isDirect()) {
            throw new IllegalStateException("no direct view of " + array.getShape());
        }
        return buffer;
    }

    /** Loads the library; returns null, or why it is not used. */
    private static String load() {
        if ("false".equals(System.getProperty("spherenet.fused"))
                || "0".equals(System.getenv("SPHERENET_FUSED"))) {
            return "turned off";
        }
        try (InputStream in = SphereKernels.class.getResourceAsStream("libspherenet_kernels.so")) {
            if (in == null) {
                return "not built: core/src/main/c/build.sh needs gcc and libsleef-dev";
            }
            Path file = Files.createTempFile("spherenet_kernels", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toString());
            } finally {
                Files.deleteIfExists(file); // the loaded library stays mapped
            }
            return supported() ? null : "this processor has no AVX2";
        } catch (IOException | UnsatisfiedLinkError e) {
            return "not loadable: " + e.getMessage(); // e.g. Sleef missing (Debian: libsleef3)
        }
    }

    private static native boolean supported();

    private static native void forward(ByteBuffer dots, ByteBuffer pn, ByteBuffer out, long from,
            long to, long channels, long spatial, boolean float64, int kind, double a, double b);

    private static native void unitKernels(ByteBuffer weight, ByteBuffer unit, ByteBuffer norms,
            long filters, long size, boolean float64);

    private static native void unitKernelsBackward(ByteBuffer weight, ByteBuffer norms,
            ByteBuffer gradUnit, ByteBuffer gradWeight, long filters, long size, boolean float64);

    private static native void patchNorm(ByteBuffer input, ByteBuffer pn, long from, long to,
            long[] geometry, boolean float64);

    private static native void patchNormBackward(ByteBuffer input, ByteBuffer pn,
            ByteBuffer gradPn, ByteBuffer gradInput, long from, long to, long[] geometry,
            boolean float64);

    private static native void backward(ByteBuffer grad, ByteBuffer dots, ByteBuffer pn,
            ByteBuffer gradDots, ByteBuffer gradPn, long from, long to, long channels, long spatial,
            boolean float64, int kind, double a, double b);
}
