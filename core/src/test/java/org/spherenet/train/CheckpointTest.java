package org.spherenet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spherenet.model.ConvStyle;
import org.spherenet.model.Head;
import org.spherenet.model.ModelSpec;
import org.spherenet.model.Models;
import org.spherenet.model.Operator;
import org.spherenet.nn.Angular;

/** The checkpoint file: round trip, and refusal of damaged or foreign files. */
class CheckpointTest {

    private static Block network(NDManager m) {
        ModelSpec spec = new ModelSpec("plain", 9, 0.0625, ConvStyle.of(Operator.sphere(Angular.linear())),
                Head.softmax(), true, 10, 1, 28, 28);
        Block net = Models.build(spec);
        net.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
        return net;
    }

    @Test
    void roundTripRestoresEveryParameterAndTheOptimiserState(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("checkpoint.bin");
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = network(m);
            List<TrainableParameter> pa = WeightDecay.AUTHORS.assign(a, 5e-4);
            Optimizer oa = Optimizer.create("adam", pa, 0.9);
            Checkpoint.write(file, "arch", 42, a, oa);

            Block b = network(m); // another random initialisation
            Optimizer ob = Optimizer.create("adam", WeightDecay.AUTHORS.assign(b, 5e-4), 0.9);
            assertThat(Checkpoint.read(file, "arch", b, ob, m).iteration()).isEqualTo(42);
            var pb = b.getParameters();
            var pa2 = a.getParameters();
            for (int i = 0; i < pa2.size(); i++) {
                assertThat(pb.get(i).getValue().getArray().toFloatArray())
                        .containsExactly(pa2.get(i).getValue().getArray().toFloatArray());
            }
        }
        assertThat(Files.list(dir)).containsExactly(file); // no temporary file left behind
    }

    @Test
    void cutOffCorruptForeignAndMissingFilesAreRefusedWithTheFileName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("checkpoint.bin");
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = network(m);
            Checkpoint.write(file, "arch", 1, net, null);
            byte[] good = Files.readAllBytes(file);

            Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
            assertThatThrownBy(() -> Checkpoint.read(file, "arch", net, null, m))
                    .isInstanceOf(CheckpointException.class).hasMessageStartingWith(file.toString());

            byte[] flipped = good.clone();
            flipped[good.length / 3] ^= 1;
            Files.write(file, flipped);
            assertThatThrownBy(() -> Checkpoint.read(file, "arch", net, null, m))
                    .hasMessageContaining("checksum mismatch");

            Files.write(file, good);
            assertThatThrownBy(() -> Checkpoint.read(file, "other", net, null, m))
                    .hasMessageContaining("'arch'").hasMessageContaining("'other'");

            assertThatThrownBy(() -> Checkpoint.read(dir.resolve("none.bin"), "arch", net, null, m))
                    .isInstanceOf(CheckpointException.class).hasMessageContaining("none.bin");
        }
    }

    @Test
    void aFailedWriteLeavesThePreviousCheckpointIntact(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("checkpoint.bin");
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = network(m);
            Checkpoint.write(file, "arch", 7, net, null);
            byte[] before = Files.readAllBytes(file);
            Optimizer failing = new Optimizer() {
                @Override public void step(double rate) {}
                @Override public void save(java.io.DataOutputStream out) throws java.io.IOException {
                    throw new java.io.IOException("No space left on device");
                }
                @Override public void load(java.io.DataInputStream in) {}
            };
            assertThatThrownBy(() -> Checkpoint.write(file, "arch", 8, net, failing))
                    .hasMessageContaining("No space left");
            assertThat(Files.readAllBytes(file)).isEqualTo(before);
            assertThat(Checkpoint.read(file, "arch", net, null, m).iteration()).isEqualTo(7);
            assertThat(Files.list(dir)).containsExactly(file);
        }
    }

    @Test
    void theFileIsTheDocumentedLayoutWithItsChecksumNotJavaSerialisation(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("checkpoint.bin");
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint.write(file, "arch", 5, network(m), null);
        }
        byte[] bytes = Files.readAllBytes(file);
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes));
        assertThat(in.readUTF()).isEqualTo("SPHERENET-CKPT"); // Java serialisation would start AC ED
        assertThat(in.readInt()).as("format version").isEqualTo(Checkpoint.FORMAT_VERSION);
        assertThat(in.readUTF()).isEqualTo("arch");
        assertThat(in.readLong()).isEqualTo(5);
        byte[] body = java.util.Arrays.copyOf(bytes, bytes.length - 32);
        assertThat(java.util.Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length))
                .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(body));
    }
}
