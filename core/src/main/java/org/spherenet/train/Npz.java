package org.spherenet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A NumPy {@code .npz} archive (a zip of {@code .npy} files, format version 1.0, little-endian),
 * the format the PyTorch side of the parity check reads with {@code numpy.load}. Arrays are stored
 * as float64 (exact for float32 values) or int64, in the order they were added.
 */
final class Npz {

    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    /** Adds an array's values as float64. */
    Npz put(String name, NDArray array) {
        double[] values = array.toType(DataType.FLOAT64, false).toDoubleArray();
        return put(name, values, array.getShape().getShape());
    }

    Npz put(String name, double[] values, long... shape) {
        ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        data.asDoubleBuffer().put(values);
        entries.put(name, npy("<f8", shape, data.array()));
        return this;
    }

    Npz put(String name, long[] values, long... shape) {
        ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        data.asLongBuffer().put(values);
        entries.put(name, npy("<i8", shape, data.array()));
        return this;
    }

    /** Writes the archive atomically. */
    void write(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }

    private static byte[] npy(String descr, long[] shape, byte[] data) {
        String dims = java.util.Arrays.stream(shape).mapToObj(Long::toString)
                .collect(java.util.stream.Collectors.joining(", "));
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + dims + (shape.length == 1 ? ",)" : ")") + ", }";
        int unpadded = 10 + dict.length() + 1; // magic, version, length, dict, newline
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        out.putShort((short) h.length).put(h).put(data);
        return out.array();
    }
}
