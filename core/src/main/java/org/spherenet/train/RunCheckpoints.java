package org.spherenet.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run folder's checkpoints: the latest, {@code checkpoint.bin}, and the one before it, {@code
 * checkpoint.prev.bin}. A new checkpoint replaces the latest only once it is wholly on disk, and
 * the latest becomes the previous one, so a kill or a full disk at any moment leaves at least one
 * complete checkpoint; loading falls back to the previous one when the latest is damaged.
 */
public final class RunCheckpoints {

    public static final String LATEST = "checkpoint.bin";
    public static final String PREVIOUS = "checkpoint.prev.bin";

    private RunCheckpoints() {}

    /**
     * A checkpoint that was loaded.
     *
     * @param file the file it came from
     * @param iteration the iteration it was written at
     * @param warning why the latest checkpoint was passed over for the previous one (one line), or
     *     null when the latest was used
     */
    public record Restored(Path file, long iteration, String warning) {}

    /**
     * Writes a checkpoint of iteration {@code iteration}, keeping the latest one as the previous.
     *
     * @throws CheckpointException if it cannot be written (the checkpoints already there are
     *     untouched)
     */
    public static void save(Path runDir, String architecture, long iteration, Block network,
            Optimizer optimizer) {
        save(runDir, architecture, iteration, network, optimizer, AtomicFiles.Disk.REAL);
    }

    static void save(Path runDir, String architecture, long iteration, Block network,
            Optimizer optimizer, AtomicFiles.Disk disk) {
        Path latest = runDir.resolve(LATEST);
        try {
            byte[][] parts = Checkpoint.encode(architecture, iteration, network, optimizer);
            AtomicFiles.write(latest, runDir.resolve(PREVIOUS), disk, parts);
        } catch (IOException e) {
            throw new CheckpointException(latest, "cannot write the checkpoint of iteration "
                    + iteration + ": " + e.getMessage() + " (the earlier checkpoints are intact)", e);
        }
    }

    /**
     * Loads the latest usable checkpoint into an initialised network (and optimiser, if given):
     * the latest, or the previous one if the latest is missing or damaged.
     *
     * @return what was loaded, or null if the folder holds no checkpoint at all
     * @throws CheckpointException if no checkpoint is usable, or one holds another network
     */
    public static Restored load(Path runDir, String architecture, Block network, Optimizer optimizer,
            NDManager manager) {
        Path latest = runDir.resolve(LATEST);
        Path previous = runDir.resolve(PREVIOUS);
        if (!Files.exists(latest) && !Files.exists(previous)) {
            return null;
        }
        DamagedCheckpointException damage;
        try {
            return new Restored(latest, read(latest, architecture, network, optimizer, manager), null);
        } catch (DamagedCheckpointException e) {
            damage = e;
        }
        if (!Files.exists(previous)) {
            throw new CheckpointException(latest, damage.reason() + ", and there is no previous checkpoint", damage);
        }
        try {
            long iteration = read(previous, architecture, network, optimizer, manager);
            return new Restored(previous, iteration, damage.getMessage() + "; using the previous checkpoint "
                    + previous + " (iteration " + iteration + ")");
        } catch (DamagedCheckpointException e) {
            throw new CheckpointException(latest, damage.reason() + ", and the previous checkpoint "
                    + previous + " is unusable too: " + e.reason(), damage);
        }
    }

    private static long read(Path file, String architecture, Block network, Optimizer optimizer,
            NDManager manager) {
        return Checkpoint.read(file, architecture, network, optimizer, manager).iteration();
    }
}
