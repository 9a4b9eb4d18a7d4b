package org.spherenet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes arrays to streams and reads them back into arrays of the same shape: float32 values, or
 * float64 for a float64 array (a run trained in float64); the length says which, so checkpoints
 * written before float64 existed read as before.
 */
final class ArrayIO {

    private ArrayIO() {}

    static void write(DataOutputStream out, NDArray array) throws IOException {
        long[] shape = array.getShape().getShape();
        out.writeInt(shape.length);
        for (long d : shape) {
            out.writeLong(d);
        }
        DataType type = array.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        byte[] bytes = array.toType(type, false).toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads into {@code target} in place. */
    static void read(DataInputStream in, NDArray target) throws IOException {
        int rank = in.readInt();
        long[] expected = target.getShape().getShape();
        if (rank != expected.length) {
            throw new IOException("array rank " + rank + ", expected " + expected.length);
        }
        for (long d : expected) {
            long actual = in.readLong();
            if (actual != d) {
                throw new IOException("array shape mismatch: " + actual + " vs " + d);
            }
        }
        int length = in.readInt();
        if (length != target.size() * 4 && length != target.size() * 8) {
            throw new IOException("array of " + length + " bytes, expected " + target.size() * 4
                    + " (float32) or " + target.size() * 8 + " (float64)");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        NDArray loaded;
        if (length == target.size() * 8) {
            double[] values = new double[length / 8];
            buffer.asDoubleBuffer().get(values);
            loaded = target.getManager().create(values, target.getShape());
        } else {
            float[] values = new float[length / 4];
            buffer.asFloatBuffer().get(values);
            loaded = target.getManager().create(values, target.getShape());
        }
        // copied into the target's own memory: NDArray.set(Buffer) would make the target use a
        // Java buffer's memory, alive only as long as that handle (see Gradients.reset)
        try (loaded; NDArray typed = loaded.toType(target.getDataType(), true)) {
            target.set(new NDIndex("..."), typed);
        }
    }
}
