package org.spherenet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes float32 arrays to streams and reads them back into arrays of the same shape. */
final class ArrayIO {

    private ArrayIO() {}

    static void write(DataOutputStream out, NDArray array) throws IOException {
        long[] shape = array.getShape().getShape();
        out.writeInt(shape.length);
        for (long d : shape) {
            out.writeLong(d);
        }
        byte[] bytes = array.toType(DataType.FLOAT32, false).toByteArray();
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
        if (length != target.size() * 4) {
            throw new IOException("array of " + length + " bytes, expected " + target.size() * 4);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        float[] values = new float[length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asFloatBuffer().get(values);
        // copied into the target's own memory: NDArray.set(Buffer) would make the target use a
        // Java buffer's memory, alive only as long as that handle (see Gradients.reset)
        try (NDArray loaded = target.getManager().create(values, target.getShape())) {
            target.set(new NDIndex("..."), loaded);
        }
    }
}
