package org.spherenet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spherenet.model.ConvStyle;
import org.spherenet.model.Head;
import org.spherenet.model.ModelSpec;
import org.spherenet.model.Models;
import org.spherenet.model.Operator;
import org.spherenet.nn.Angular;

/**
 * A run folder's two checkpoints: a damaged latest one is refused with a clear reason and the
 * previous one used; a full disk while writing leaves both as they were.
 */
class RunCheckpointsTest {

    @TempDir Path dir;
    private NDManager manager;
    private Block network;
    private Path latest;
    private Path previous;

    @BeforeEach
    void twoCheckpoints() {
        manager = NDManager.newBaseManager();
        ModelSpec spec = new ModelSpec("plain", 9, 0.0625, ConvStyle.of(Operator.sphere(Angular.linear())),
                Head.softmax(), true, 10, 1, 28, 28);
        network = Models.build(spec);
        network.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28));
        RunCheckpoints.save(dir, "arch", 7, network, null);
        RunCheckpoints.save(dir, "arch", 8, network, null);
        latest = dir.resolve(RunCheckpoints.LATEST);
        previous = dir.resolve(RunCheckpoints.PREVIOUS);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private RunCheckpoints.Restored load() {
        return RunCheckpoints.load(dir, "arch", network, null, manager);
    }

    @Test
    void theLatestIsUsedWhenItIsIntactAndTheOneBeforeIsKept() {
        RunCheckpoints.Restored restored = load();
        assertThat(restored.file()).isEqualTo(latest);
        assertThat(restored.iteration()).isEqualTo(8);
        assertThat(restored.warning()).isNull();
        assertThat(Checkpoint.read(previous, "arch", network, null, manager).iteration()).isEqualTo(7);
    }

    @Test
    void aLatestWithAWrongChecksumFallsBackToThePreviousWithAOneLineWarning() throws IOException {
        byte[] bytes = Files.readAllBytes(latest);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(latest, bytes);
        RunCheckpoints.Restored restored = load();
        assertThat(restored.file()).isEqualTo(previous);
        assertThat(restored.iteration()).isEqualTo(7);
        assertThat(restored.warning())
                .startsWith(latest + ": checksum mismatch")
                .contains(previous.toString()).contains("iteration 7")
                .doesNotContain("\n");
    }

    @Test
    void aCutOffLatestFallsBackToThePrevious() throws IOException {
        byte[] bytes = Files.readAllBytes(latest);
        Files.write(latest, Arrays.copyOf(bytes, bytes.length - 100));
        assertThat(load().iteration()).isEqualTo(7);
        Files.write(latest, Arrays.copyOf(bytes, 10));
        assertThat(load().warning()).startsWith(latest + ": cut off (10 bytes)");
    }

    @Test
    void aMissingLatestFallsBackToThePrevious() throws IOException {
        Files.delete(latest); // killed between the two renames
        RunCheckpoints.Restored restored = load();
        assertThat(restored.iteration()).isEqualTo(7);
        assertThat(restored.warning()).startsWith(latest + ": missing");
    }

    @Test
    void whenBothAreDamagedTheErrorNamesBothFiles() throws IOException {
        Files.write(latest, new byte[] {1, 2, 3});
        Files.write(previous, new byte[64]);
        assertThatThrownBy(this::load)
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(latest + ": cut off (3 bytes)")
                .hasMessageContaining(previous + " is unusable too: checksum mismatch")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Files.delete(previous);
        assertThatThrownBy(this::load).hasMessageContaining("and there is no previous checkpoint");
    }

    @Test
    void aFolderWithoutCheckpointsHasNothingToLoad() throws IOException {
        Files.delete(latest);
        Files.delete(previous);
        assertThat(load()).isNull();
    }

    @Test
    void aCheckpointOfAnotherNetworkIsNotMaskedByTheFallback() {
        assertThatThrownBy(() -> RunCheckpoints.load(dir, "other", network, null, manager))
                .isInstanceOf(CheckpointException.class)
                .isNotInstanceOf(DamagedCheckpointException.class)
                .hasMessageContaining("'arch'").hasMessageContaining("'other'");
    }

    /** A disk that takes {@code room} bytes, then fails as a full one does. */
    private static AtomicFiles.Disk fullAfter(long room) {
        long[] written = {0};
        return (channel, buffer) -> {
            long left = room - written[0];
            if (left <= 0) {
                throw new IOException("No space left on device");
            }
            ByteBuffer part = buffer.slice();
            part.limit((int) Math.min(part.remaining(), left));
            int n = channel.write(part);
            buffer.position(buffer.position() + n);
            written[0] += n;
            return n;
        };
    }

    /** The disk fills at this share of the new file: at its first byte, ..., at its last byte. */
    @ParameterizedTest(name = "disk full at {0} of the file")
    @ValueSource(doubles = {0, 0.0001, 0.3, 0.7, 0.999, 1})
    void aFullDiskWhileWritingLeavesBothCheckpointsUsableAndNoTemporaryFile(double share) throws IOException {
        byte[] latestBefore = Files.readAllBytes(latest);
        byte[] previousBefore = Files.readAllBytes(previous);
        long room = (long) (share * (latestBefore.length - 1)); // the new file has the same size
        assertThatThrownBy(() -> RunCheckpoints.save(dir, "arch", 9, network, null, fullAfter(room)))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(latest + ": cannot write the checkpoint of iteration 9")
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("intact");
        assertThat(Files.readAllBytes(latest)).isEqualTo(latestBefore);
        assertThat(Files.readAllBytes(previous)).isEqualTo(previousBefore);
        assertThat(load().iteration()).isEqualTo(8);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(latest, previous);
        }
    }

    @Test
    void temporaryFilesOfAKilledWriterAreDeletedWhenTheRunFolderIsOpened() throws IOException {
        Files.writeString(dir.resolve(RunFolder.CONFIG), "{}");
        Path leftover = Files.write(dir.resolve(".checkpoint.bin123.tmp"), new byte[10]);
        try (RunFolder folder = RunFolder.open(dir)) {
            assertThat(leftover).doesNotExist();
            assertThat(latest).exists();
        }
    }

    @Test
    void aSecondRunCannotOpenAFolderThatIsInUse() throws IOException {
        Files.writeString(dir.resolve(RunFolder.CONFIG), "{}");
        try (RunFolder first = RunFolder.open(dir)) {
            assertThatThrownBy(() -> RunFolder.open(dir))
                    .isInstanceOf(RunFolderException.class)
                    .hasMessage(dir + ": another run is writing into this folder");
        }
        RunFolder.open(dir).close(); // released when the first closed
    }
}
