package org.spherenet.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The checkpoint file: model parameters, optimiser state and the position in training, with a
 * format version and a SHA-256 of the content, written atomically (temporary file, fsync, rename)
 * so a crash leaves either the old checkpoint or the new one, never a half-written file. No Java
 * serialisation: the layout is
 *
 * <pre>
 * "SPHERENET-CKPT" | format version (int) | architecture (UTF) | iteration (long)
 * | parameters (DJL's block format) | optimiser state | SHA-256 of all before (32 bytes)
 * </pre>
 */
public final class Checkpoint {

    static final String MAGIC = "SPHERENET-CKPT";
    static final int FORMAT_VERSION = 1;

    private Checkpoint() {}

    /** What a checkpoint restores besides the arrays. */
    public record Position(long iteration) {}

    /**
     * Writes a checkpoint atomically.
     *
     * @param file the target path; replaced only once the new content is on disk
     * @param architecture a description of the network that a loader must match
     */
    public static void write(
            Path file, String architecture, long iteration, Block network, Optimizer optimizer)
            throws IOException {
        byte[][] parts = encode(architecture, iteration, network, optimizer);
        AtomicFiles.write(file, parts);
    }

    /** The file's content: the body, then its SHA-256. */
    static byte[][] encode(String architecture, long iteration, Block network, Optimizer optimizer)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(architecture);
            out.writeLong(iteration);
            network.saveParameters(out);
            if (optimizer != null) {
                optimizer.save(out);
            }
        }
        byte[] content = bytes.toByteArray();
        return new byte[][] {content, sha256(content, content.length)};
    }

    /**
     * Reads a checkpoint into an initialised network (and optimiser, if given).
     *
     * @throws DamagedCheckpointException if the file is missing, cut off or corrupt
     * @throws CheckpointException if the file is not a checkpoint, was written by another format
     *     version, or holds another architecture
     */
    public static Position read(
            Path file, String architecture, Block network, Optimizer optimizer, NDManager manager) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DamagedCheckpointException(file, "missing", e);
        } catch (IOException e) {
            throw new DamagedCheckpointException(file, "cannot read: " + e.getMessage(), e);
        }
        if (all.length < 32) {
            throw new DamagedCheckpointException(file, "cut off (" + all.length + " bytes)");
        }
        int bodyLength = all.length - 32;
        byte[] stored = Arrays.copyOfRange(all, bodyLength, all.length);
        if (!MessageDigest.isEqual(stored, sha256(all, bodyLength))) {
            throw new DamagedCheckpointException(file, "checksum mismatch: the file is cut off or corrupt");
        }
        try (DataInputStream in =
                new DataInputStream(new ByteArrayInputStream(all, 0, bodyLength))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new CheckpointException(file, "not a SphereNet checkpoint");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new CheckpointException(
                        file, "format version " + version + ", this build reads " + FORMAT_VERSION);
            }
            String saved = in.readUTF();
            if (!saved.equals(architecture)) {
                throw new CheckpointException(
                        file, "holds a '" + saved + "' network, not the requested '" + architecture + "'");
            }
            long iteration = in.readLong();
            network.loadParameters(manager, in);
            // DJL's loader gives fresh arrays that no longer collect gradients
            for (Parameter p : network.getParameters().values()) {
                if (p.requiresGradient()) {
                    p.getArray().setRequiresGradient(true);
                }
            }
            if (optimizer != null) {
                optimizer.load(in);
            }
            return new Position(iteration);
        } catch (IOException | MalformedModelException e) {
            throw new DamagedCheckpointException(file, "unreadable content: " + e.getMessage(), e);
        }
    }

    static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
