package org.spherenet.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/** MD5 verification of dataset files, and gzip detection by magic number. */
public final class Checksums {

    private Checksums() {}

    /**
     * Returns the MD5 of a stream's remaining bytes, as lower-case hex.
     *
     * @param in the stream, read to its end (not closed)
     * @return the digest
     * @throws IOException if reading fails
     */
    public static String md5(InputStream in) throws IOException {
        MessageDigest md5 = newMd5();
        try (DigestInputStream digest = new DigestInputStream(in, md5)) {
            digest.on(true);
            byte[] buffer = new byte[1 << 16];
            while (digest.read(buffer) >= 0) {
                // the digest sees every byte read
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    /**
     * Returns the MD5 of a file's bytes.
     *
     * @param file the file
     * @return the lower-case hex digest
     * @throws IOException if reading fails
     */
    public static String md5(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return md5(in);
        }
    }

    /**
     * Returns the MD5 of a gzip file's decompressed content.
     *
     * @param file the gzip file
     * @return the lower-case hex digest
     * @throws IOException if reading or decompressing fails
     */
    public static String contentMd5(Path file) throws IOException {
        try (InputStream in =
                new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)), 1 << 16)) {
            return md5(in);
        }
    }

    /**
     * Returns true if the file starts with the gzip magic number {@code 1f 8b}.
     *
     * @param file the file
     * @return whether it is gzip-compressed
     * @throws IOException if reading fails
     */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * Checks {@code file} against what is known of {@code expected}: its size if the file is the
     * published one, then its MD5 or (if gzip) its content's MD5. Passes without reading when no
     * digest is known.
     *
     * @param file the file to check
     * @param expected the published description
     * @param published true if {@code file} is the published file (or a download of it), false if
     *     it is a decompressed copy
     * @throws DataException on a size or checksum mismatch
     */
    public static void verify(Path file, DataFile expected, boolean published) {
        try {
            if (published && expected.size() >= 0 && Files.size(file) != expected.size()) {
                throw new DataException(
                        file,
                        "size "
                                + Files.size(file)
                                + " bytes, expected "
                                + expected.size()
                                + " (incomplete or wrong file)");
            }
            if (expected.md5().isEmpty() && expected.contentMd5().isEmpty()) {
                return;
            }
            if (!isGzip(file)) {
                // Plain bytes: the published file itself, or a decompressed copy of a .gz.
                var accepted = published ? expected.md5() : expected.contentMd5();
                String md5 = accepted.isEmpty() ? null : md5(file);
                if (md5 != null && !accepted.contains(md5)) {
                    throw mismatch(file, "MD5 " + md5, accepted);
                }
                return;
            }
            String md5 = md5(file);
            if (expected.md5().contains(md5)) {
                return;
            }
            String content = contentMd5(file);
            if (!expected.contentMd5().contains(content)) {
                throw mismatch(
                        file,
                        "MD5 " + md5 + ", content MD5 " + content,
                        union(expected.md5(), expected.contentMd5()));
            }
        } catch (IOException e) {
            throw new DataException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static DataException mismatch(Path file, String actual, Set<String> accepted) {
        return new DataException(
                file,
                "checksum mismatch: "
                        + actual
                        + ", expected one of "
                        + String.join(", ", new TreeSet<>(accepted)));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("MD5 unavailable", e));
        }
    }
}
