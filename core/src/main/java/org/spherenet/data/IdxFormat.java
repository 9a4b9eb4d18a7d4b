package org.spherenet.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (MNIST family), raw or gzip-compressed (detected by magic number).
 *
 * <p>Layout: magic {@code 00 00 08 ndims} (08 = unsigned byte), then {@code ndims} big-endian int32
 * dimensions, then the data row-major. Images: magic {@code 0x803}, dimensions (N, rows, cols);
 * labels: magic {@code 0x801}, dimension (N).
 *
 * <p>Sizes are checked before allocating: a raw file's length must match its header exactly, and
 * the data of a compressed file is read as it arrives, so a header claiming more images than the
 * file holds fails as truncated without reserving the claimed memory.
 */
final class IdxFormat {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private IdxFormat() {}

    /** Images read from an IDX file: N x rows x cols bytes. */
    record Images(byte[] pixels, int count, int rows, int cols) {}

    /**
     * Reads an image file.
     *
     * @param file the file
     * @param rows the expected image height
     * @param cols the expected image width
     * @return the images
     * @throws DataException if the file is malformed
     */
    static Images readImages(Path file, int rows, int cols) throws IOException {
        try (DataInputStream in = open(file)) {
            checkMagic(file, in.readInt(), IMAGES_MAGIC, "images");
            int count = dimension(file, in);
            int height = dimension(file, in);
            int width = dimension(file, in);
            if (height != rows || width != cols) {
                throw new DataException(
                        file,
                        String.format(
                                "wrong image size %dx%d, expected %dx%d",
                                height, width, rows, cols));
            }
            long length = (long) count * height * width;
            byte[] pixels = readData(file, in, 16, length, count + " images");
            return new Images(pixels, count, height, width);
        } catch (EOFException e) {
            throw new DataException(file, "truncated header", e);
        } catch (ZipException e) {
            throw new DataException(file, "corrupt gzip data: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a label file.
     *
     * @param file the file
     * @param numClasses labels must lie in {@code [0, numClasses)}
     * @return the labels
     * @throws DataException if the file is malformed or a label is out of range
     */
    static int[] readLabels(Path file, int numClasses) throws IOException {
        try (DataInputStream in = open(file)) {
            checkMagic(file, in.readInt(), LABELS_MAGIC, "labels");
            int count = dimension(file, in);
            byte[] bytes = readData(file, in, 8, count, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xFF;
                if (labels[i] >= numClasses) {
                    throw new DataException(
                            file,
                            String.format(
                                    "label %d at index %d outside 0..%d",
                                    labels[i], i, numClasses - 1));
                }
            }
            return labels;
        } catch (EOFException e) {
            throw new DataException(file, "truncated header", e);
        } catch (ZipException e) {
            throw new DataException(file, "corrupt gzip data: " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return new DataInputStream(
                Checksums.isGzip(file) ? new GZIPInputStream(in, 1 << 16) : in);
    }

    private static void checkMagic(Path file, int magic, int expected, String what) {
        if (magic != expected) {
            throw new DataException(
                    file,
                    String.format(
                            "wrong magic number 0x%08X, expected 0x%08X (IDX unsigned-byte %s)",
                            magic, expected, what));
        }
    }

    private static int dimension(Path file, DataInputStream in) throws IOException {
        int value = in.readInt();
        if (value < 0) {
            throw new DataException(file, "negative dimension " + value + " in header");
        }
        return value;
    }

    /** Reads exactly {@code length} data bytes that follow a header of {@code header} bytes. */
    private static byte[] readData(Path file, InputStream in, int header, long length, String what)
            throws IOException {
        if (length > MAX_BYTES) {
            throw new DataException(
                    file, "header claims " + what + " (" + length + " bytes), too many");
        }
        if (!Checksums.isGzip(file) && Files.size(file) != header + length) {
            throw new DataException(
                    file,
                    (Files.size(file) < header + length ? "truncated: " : "too long: ")
                            + "header claims "
                            + what
                            + " ("
                            + (header + length)
                            + " bytes) but the file has "
                            + Files.size(file)
                            + " bytes");
        }
        byte[] data;
        try {
            data = in.readNBytes((int) length);
        } catch (EOFException e) {
            throw new DataException(file, "truncated: the compressed data ends inside the " + what, e);
        }
        if (data.length != length) {
            throw new DataException(
                    file,
                    "truncated: header claims "
                            + what
                            + " but the data ends after "
                            + data.length
                            + " bytes");
        }
        if (in.read() >= 0) {
            throw new DataException(
                    file, "too long: data continues after the " + what + " the header claims");
        }
        return data;
    }
}
