package org.spherenet.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes dataset files in their exact binary layouts, for the reader tests. */
final class TestFiles {

    private TestFiles() {}

    /** IDX images: magic 0x803, (n, rows, cols), then the pixels. */
    static byte[] idxImages(int count, int rows, int cols, byte[] pixels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x803);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        out.write(pixels);
        return bytes.toByteArray();
    }

    /** IDX labels: magic 0x801, (n), then the labels. */
    static byte[] idxLabels(int... labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x801);
        out.writeInt(labels.length);
        for (int label : labels) {
            out.writeByte(label);
        }
        return bytes.toByteArray();
    }

    /** Pixel value of image i at (c, y, x) in the generated CIFAR files: encodes all four. */
    static int cifarPixel(int i, int c, int y, int x) {
        return (i * 31 + c * 85 + y * 7 + x * 3) & 0xFF;
    }

    /** CIFAR records: {@code labels[i]} label bytes then 3072 CHW pixels from {@link #cifarPixel}. */
    static byte[] cifarRecords(int firstImage, int[][] labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int r = 0; r < labels.length; r++) {
            for (int label : labels[r]) {
                out.write(label);
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        out.write(cifarPixel(firstImage + r, c, y, x));
                    }
                }
            }
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    /** Writes a .tar.gz holding the given regular files (name inside the archive to content). */
    static void tarGz(Path archive, Map<String, byte[]> files) throws IOException {
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    /** A locator that only looks where it is told and does not verify checksums. */
    static DataLocator unverified(Path home) {
        return new DataLocator(null, home, "http://127.0.0.1:9/", false).withVerification(false);
    }
}
