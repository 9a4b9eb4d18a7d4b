package org.spherenet.experiment;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.spherenet.train.GradientLog;
import org.spherenet.train.MetricsLog;
import org.spherenet.train.RunFolder;
import org.spherenet.train.RunListeners;
import org.spherenet.train.Summary;
import org.spherenet.train.TrainConfig;
import org.spherenet.train.Training;

/**
 * Runs the trainings of studies, each in an ordinary run folder named after a hash of its
 * configuration. A configuration that already finished is read back instead of trained again, so
 * studies that share a run (the same network, data and seed) pay for it once, and an experiment
 * that was interrupted resumes: finished runs are kept and a stopped run continues from its
 * checkpoint.
 */
public final class TrialRunner {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final Path runsDir;
    private final PrintStream log;
    private final Consumer<TrainConfig> planned;

    /**
     * @param runsDir where the run folders go
     * @param log one line per run
     */
    public TrialRunner(Path runsDir, PrintStream log) {
        this(runsDir, log, null);
    }

    /**
     * A runner that plans instead of training: each run not finished yet goes to {@code planned}
     * and comes back as a placeholder result (no iterations, NaN accuracies, no curves), so that a
     * study can be walked through to learn which runs it needs (see {@link Experiment#plan}).
     */
    TrialRunner(Path runsDir, PrintStream log, Consumer<TrainConfig> planned) {
        this.runsDir = runsDir;
        this.log = log;
        this.planned = planned;
    }

    /** Trains {@code config} (or reads back its earlier run) and returns the result. */
    public TrialResult run(String label, TrainConfig config) throws IOException {
        config.validate();
        Path dir = folder(runsDir, config);
        long start = System.nanoTime();
        boolean reused = isFinished(dir);
        if (!reused && planned != null) {
            planned.accept(config);
            Summary none = new Summary(0, false, Double.NaN, Double.NaN, 0, 0, 0, 0);
            return new TrialResult(label, config, none, List.of(), List.of(), dir);
        }
        if (!reused) {
            train(config, dir);
        }
        Summary summary = RunFolder.readSummary(dir);
        log.printf("  %-44s %6.2f%%  %s%n", label, 100 * summary.finalTestAccuracy(),
                reused ? "(earlier run, " + dir.getFileName() + ")"
                        : String.format("%.0f s", (System.nanoTime() - start) / 1e9));
        return new TrialResult(label, config, summary, MetricsLog.read(dir), GradientLog.read(dir), dir);
    }

    /**
     * Trains {@code config} in {@code dir}, continuing a run started there (from its checkpoint,
     * or from the start if it wrote none). A run's folder is {@link #folder}.
     */
    public static void train(TrainConfig config, Path dir) throws IOException {
        boolean started = Files.exists(dir.resolve(RunFolder.CONFIG));
        try (Training training = new Training(config, dir, RunListeners.standard(dir, config));
                RunFolder folder = started ? RunFolder.open(dir) : RunFolder.create(dir, config)) {
            if (started) {
                training.resume(); // from its checkpoint, or from the start if it wrote none
            }
            Summary summary = training.run();
            folder.writeSummary(summary);
        }
    }

    /** Whether {@code dir} holds a finished run. */
    public static boolean isFinished(Path dir) throws IOException {
        return Files.exists(dir.resolve(RunFolder.SUMMARY)) && RunFolder.readSummary(dir).finished();
    }

    /**
     * The run folder of {@code config}: the model name and a hash of the settings that differ from
     * {@link TrainConfig}'s defaults (so a new setting, at its default, keeps old runs usable). If
     * the folder holds a run whose full settings differ after all (a default changed since), the
     * full settings' hash is appended instead of reusing it.
     */
    public static Path folder(Path runsDir, TrainConfig config) throws IOException {
        Map<String, Object> settings = JSON.convertValue(config, MAP);
        // remove(key, value) drops a setting only where it equals the default
        JSON.convertValue(new TrainConfig(), MAP).forEach(settings::remove);
        Path dir = runsDir.resolve(config.model + "-" + hash(settings));
        if (Files.exists(dir.resolve(RunFolder.CONFIG)) && !sameSettings(RunFolder.readConfig(dir), config)) {
            dir = runsDir.resolve(dir.getFileName() + "-" + hash(config));
        }
        return dir;
    }

    private static boolean sameSettings(TrainConfig stored, TrainConfig requested) throws IOException {
        return JSON.writeValueAsString(stored).equals(JSON.writeValueAsString(requested));
    }

    private static String hash(Object value) throws IOException {
        byte[] json = JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
