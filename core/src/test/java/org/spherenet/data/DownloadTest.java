package org.spherenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a local HTTP server: only verified files are ever installed. */
class DownloadTest {

    @TempDir Path tmp;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private byte[] payload;
    private String payloadMd5;

    @BeforeEach
    void start() throws IOException {
        payload = new byte[200_000];
        new SplittableRandom(1).nextBytes(payload);
        payloadMd5 = Checksums.md5(new java.io.ByteArrayInputStream(payload));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/full/",
                exchange -> {
                    requests.incrementAndGet();
                    exchange.sendResponseHeaders(200, payload.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(payload);
                    }
                });
        server.createContext(
                "/cut/",
                exchange -> {
                    requests.incrementAndGet();
                    exchange.sendResponseHeaders(200, payload.length);
                    OutputStream out = exchange.getResponseBody();
                    out.write(payload, 0, payload.length / 2);
                    out.flush();
                    exchange.close(); // announces 200,000 bytes, sends 100,000
                });
        server.createContext(
                "/missing/",
                exchange -> {
                    requests.incrementAndGet();
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static DataSource toy(DataFile file) {
        return new DataSource("toy", List.of(), List.of(file), null, null, List.of(), List.of("a"), null);
    }

    private DataLocator locator(String base) {
        return new DataLocator(null, tmp.resolve("home"), base, false);
    }

    private static List<String> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void rightChecksumInstallsTheFile() throws IOException {
        Path dir = locator(url("/full/")).locate(toy(DataFile.of("data.bin", payloadMd5)), null);
        assertThat(dir).isEqualTo(tmp.resolve("home/toy"));
        assertThat(filesIn(dir)).containsExactly("data.bin");
        assertThat(Files.readAllBytes(dir.resolve("data.bin"))).isEqualTo(payload);
    }

    @Test
    void wrongChecksumLeavesNothingBehind() throws IOException {
        DataSource source = toy(DataFile.of("data.bin", "0123456789abcdef0123456789abcdef"));
        assertThatThrownBy(() -> locator(url("/full/")).locate(source, null))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(tmp.resolve("home/toy/data.bin") + ": download from " + url("/full/data.bin"))
                .hasMessageContaining("checksum mismatch: MD5 " + payloadMd5);
        assertThat(filesIn(tmp.resolve("home/toy"))).isEmpty();
    }

    @Test
    void cutOffTransferLeavesNothingBehind() throws IOException {
        DataSource source = toy(DataFile.of("data.bin", payloadMd5));
        assertThatThrownBy(() -> locator(url("/cut/")).locate(source, null))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("cannot download toy");
        assertThat(filesIn(tmp.resolve("home/toy"))).isEmpty();
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void httpErrorLeavesNothingBehind() throws IOException {
        DataSource source = toy(DataFile.of("data.bin", payloadMd5));
        assertThatThrownBy(() -> locator(url("/missing/")).locate(source, null))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("HTTP 404");
        assertThat(filesIn(tmp.resolve("home/toy"))).isEmpty();
    }

    @Test
    void gzipIsAcceptedByItsContentDigest() throws IOException {
        // the served bytes are a gzip whose own MD5 is not the published one (as Debian's copy)
        byte[] content = payload.clone();
        payload = TestFiles.gzip(content);
        String contentMd5 = Checksums.md5(new java.io.ByteArrayInputStream(content));
        DataFile file = DataFile.gzip("data.gz", "ffffffffffffffffffffffffffffffff", contentMd5);
        Path dir = locator(url("/full/")).locate(toy(file), null);
        assertThat(filesIn(dir)).containsExactly("data.gz");
    }

    @Test
    void verifiedLocalFileIsUsedWithoutDownloading() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("home/toy"));
        Files.write(dir.resolve("data.bin"), payload);
        assertThat(locator(url("/cut/")).locate(toy(DataFile.of("data.bin", payloadMd5)), null)).isEqualTo(dir);
        assertThat(requests.get()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("data.bin"))).isEqualTo(payload);
    }

    @Test
    void downloadGoesUnderTheDataRootWhenSet() throws IOException {
        DataLocator locator = new DataLocator(tmp.resolve("root"), tmp.resolve("home"), url("/full/"), false);
        Path dir = locator.locate(toy(DataFile.of("data.bin", payloadMd5)), null);
        assertThat(dir).isEqualTo(tmp.resolve("root/toy"));
        assertThat(filesIn(dir)).containsExactly("data.bin");
        assertThat(tmp.resolve("home")).doesNotExist();
    }

    @Test
    void withoutNetworkTheMessageSaysHowToGetFashionMnist() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        DataLocator offline = locator("http://127.0.0.1:" + closedPort + "/");
        assertThatThrownBy(() -> offline.locate(DataSources.FASHION_MNIST, null))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(tmp.resolve("home/fashion-mnist") + ": cannot download fashion-mnist")
                .hasMessageContaining("install the Debian package dataset-fashion-mnist")
                .hasMessageContaining("put train-images-idx3-ubyte.gz")
                .hasMessageContaining("--data DIR")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(filesIn(tmp.resolve("home/fashion-mnist"))).isEmpty();
    }

    @Test
    void explicitFolderWithoutTheDataIsAnErrorNotADownload() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("mine"));
        assertThatThrownBy(() -> locator(url("/full/")).locate(toy(DataFile.of("data.bin", payloadMd5)), empty))
                .isInstanceOf(DataException.class)
                .hasMessage(empty + ": no toy data here or in " + empty.resolve("toy") + " (need data.bin)");
        assertThat(requests.get()).isZero();
    }
}
