package org.spherenet.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A run's folder, {@code runs/<name>/}: {@code config.json} (enough to rerun), {@code
 * metrics.jsonl} / {@code metrics.csv}, {@code curves.png}, the checkpoints ({@link
 * RunCheckpoints}) and {@code summary.json}. Every file is written atomically. While a run trains,
 * it holds a lock on the folder, so a second run cannot write into it at the same time.
 */
public final class RunFolder implements AutoCloseable {

    public static final String CONFIG = "config.json";
    public static final String SUMMARY = "summary.json";

    static final ObjectMapper JSON =
            FiniteJson.mapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunFolder(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        lockChannel = FileChannel.open(dir.resolve(".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null;
        }
        if (held == null) {
            lockChannel.close();
            throw new RunFolderException(dir, "another run is writing into this folder");
        }
        lock = held;
        // a run killed while writing left its temporary files; no one else writes here now
        AtomicFiles.deleteLeftovers(dir);
    }

    /**
     * Starts a new run in {@code dir}, writing its configuration.
     *
     * @throws RunFolderException if the folder already holds a run (resume it, or pick a name)
     */
    public static RunFolder create(Path dir, TrainConfig config) throws IOException {
        requireNew(dir);
        RunFolder folder = new RunFolder(dir);
        AtomicFiles.writeString(dir.resolve(CONFIG), JSON.writeValueAsString(config));
        return folder;
    }

    /**
     * Checks that {@code dir} holds no run yet.
     *
     * @throws RunFolderException if it does
     */
    public static void requireNew(Path dir) {
        if (Files.exists(dir.resolve(CONFIG))) {
            throw new RunFolderException(
                    dir, "already holds a run (use --resume " + dir + ", or another --name)");
        }
    }

    /** Opens an existing run to continue it. */
    public static RunFolder open(Path dir) throws IOException {
        if (!Files.exists(dir.resolve(CONFIG))) {
            throw new RunFolderException(dir, "not a run folder (no " + CONFIG + ")");
        }
        return new RunFolder(dir);
    }

    /** The run's configuration, as written at its start. */
    public TrainConfig config() throws IOException {
        return readConfig(dir);
    }

    /** Reads {@code config.json} of a run folder. */
    public static TrainConfig readConfig(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.exists(file)) {
            throw new RunFolderException(dir, "not a run folder (no " + CONFIG + ")");
        }
        try {
            return JSON.readValue(file.toFile(), TrainConfig.class);
        } catch (IOException e) {
            throw new RunFolderException(file, "unreadable configuration: " + firstLine(e.getMessage()));
        }
    }

    /** Reads {@code summary.json} of a run folder. */
    public static Summary readSummary(Path dir) throws IOException {
        Path file = dir.resolve(SUMMARY);
        try {
            return JSON.readValue(file.toFile(), Summary.class);
        } catch (IOException e) {
            throw new RunFolderException(file, "unreadable summary: " + firstLine(e.getMessage()));
        }
    }

    /** Rewrites {@code config.json} (a resumed run records the settings it changed). */
    public void writeConfig(TrainConfig config) throws IOException {
        AtomicFiles.writeString(dir.resolve(CONFIG), JSON.writeValueAsString(config));
    }

    /** The run's {@code summary.json}, or null if it has none yet. */
    public Summary summary() throws IOException {
        return Files.exists(dir.resolve(SUMMARY)) ? readSummary(dir) : null;
    }

    public void writeSummary(Summary summary) throws IOException {
        AtomicFiles.writeString(dir.resolve(SUMMARY), JSON.writeValueAsString(summary));
    }

    public Path dir() {
        return dir;
    }

    static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
