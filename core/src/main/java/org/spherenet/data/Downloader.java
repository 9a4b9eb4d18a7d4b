package org.spherenet.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one file safely: bytes go to a hidden temporary file in the target folder, which is
 * verified and only then atomically renamed to its final name. An interrupted or corrupt transfer
 * therefore never leaves a file that looks complete, and never replaces a verified one.
 */
final class Downloader {

    private static final Logger logger = LoggerFactory.getLogger(Downloader.class);
    private static final int CONNECT_TIMEOUT_MS = 30_000;
    private static final int READ_TIMEOUT_MS = 60_000;

    private Downloader() {}

    /**
     * Downloads {@code url} to {@code target} if it verifies against {@code expected}.
     *
     * @param url the address
     * @param target the final path
     * @param expected the published size and digests
     * @throws IOException on a network or file-system error (nothing is left behind)
     * @throws DataException if the downloaded bytes fail verification (nothing is left behind)
     */
    static void download(String url, Path target, DataFile expected) throws IOException {
        Files.createDirectories(target.getParent());
        Path part =
                Files.createTempFile(
                        target.getParent(), "." + target.getFileName() + ".", ".part");
        try {
            long received = transfer(url, part);
            logger.info("downloaded {} ({} bytes), verifying", url, received);
            try {
                Checksums.verify(part, expected, true);
            } catch (DataException e) {
                // name the file being installed and its origin, not the temporary file
                throw new DataException(
                        target, "download from " + url + " failed: " + e.getReason(), e);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static long transfer(String url, Path part) throws IOException {
        logger.info("downloading {}", url);
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
        connection.setReadTimeout(READ_TIMEOUT_MS);
        connection.setInstanceFollowRedirects(true);
        try {
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("HTTP " + status + " for " + url);
            }
            long expectedLength = connection.getContentLengthLong();
            long received;
            try (InputStream in = connection.getInputStream();
                    OutputStream out = Files.newOutputStream(part)) {
                received = in.transferTo(out);
            }
            // A connection closed early may look like a normal end of stream.
            if (expectedLength >= 0 && received != expectedLength) {
                throw new IOException(
                        "transfer cut off after " + received + " of " + expectedLength + " bytes");
            }
            return received;
        } finally {
            connection.disconnect();
        }
    }
}
