package org.spherenet.experiment;

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
import java.util.Optional;
import org.spherenet.train.GradientLog;
import org.spherenet.train.MetricsLog;
import org.spherenet.train.RunFolder;
import org.spherenet.train.RunListeners;
import org.spherenet.train.Summary;
import org.spherenet.train.TrainConfig;
import org.spherenet.train.Training;

/**
 * Runs the trainings of studies, each in an ordinary run folder named after a hash of its
 * configuration. A configuration that already finished is read back instead of trained again,
 * from its run folder or, on a machine without it, from the record the results keep
 * ({@link TrialStore}); so studies that share a run pay for it once, and an interrupted
 * experiment resumes: finished runs are kept and a stopped run continues from its checkpoint.
 * Every finished run's record is saved with the results.
 */
public final class TrialRunner {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** Settings that say where things are, not what is trained: left out of a run's identity. */
    private static final List<String> LOCATION = List.of("dataDir");

    private final Path runsDir;
    private final TrialStore store;
    private final PrintStream log;

    /**
     * @param runsDir where the run folders go
     * @param store the records of finished runs
     * @param log one line per run
     */
    public TrialRunner(Path runsDir, TrialStore store, PrintStream log) {
        this.runsDir = runsDir;
        this.store = store;
        this.log = log;
    }

    /** The finished run of {@code config}, from its run folder or the results' record; trains nothing. */
    public Optional<TrialResult> finished(String label, TrainConfig config) throws IOException {
        config.validate();
        Path dir = folder(runsDir, config);
        if (isFinished(dir)) {
            TrialResult result = read(label, config, dir);
            store.save(result, null); // trained by an earlier process: what ran it is not known
            log.printf("  %-44s %6.2f%%  (earlier run, %s)%n", label, 100 * result.accuracy(), dir.getFileName());
            return Optional.of(result);
        }
        Optional<TrialResult> recorded = store.find(label, config);
        recorded.ifPresent(r -> log.printf("  %-44s %6.2f%%  (recorded in results, %s)%n", label,
                100 * r.accuracy(), r.run()));
        return recorded;
    }

    /** Trains {@code config} (continuing a stopped run of it) and saves its record. */
    public TrialResult train(String label, TrainConfig config) throws IOException {
        config.validate();
        Path dir = folder(runsDir, config);
        long start = System.nanoTime();
        train(config, dir);
        TrialResult result = read(label, config, dir);
        store.save(result, MachineInfo.software());
        log.printf("  %-44s %6.2f%%  %.0f s%n", label, 100 * result.accuracy(), (System.nanoTime() - start) / 1e9);
        return result;
    }

    /**
     * Trains {@code config} in {@code dir}, continuing a run started there (from its checkpoint,
     * or from the start if it wrote none). A run's folder is {@link #folder}; the Spark module
     * trains a study's runs through this on its executors.
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

    private static TrialResult read(String label, TrainConfig config, Path dir) throws IOException {
        return new TrialResult(label, config, RunFolder.readSummary(dir), MetricsLog.read(dir),
                LayerGradients.of(GradientLog.read(dir)),
                LearnedK.learns(config.operator) ? LearnedK.of(dir) : List.of(), dir.getFileName().toString());
    }

    /** Whether {@code dir} holds a finished run. */
    public static boolean isFinished(Path dir) throws IOException {
        return Files.exists(dir.resolve(RunFolder.SUMMARY)) && RunFolder.readSummary(dir).finished();
    }

    /**
     * A run's name: the model name and a hash of the settings that differ from {@link
     * TrainConfig}'s defaults (so a new setting, at its default, keeps old runs usable), where the
     * data lives aside.
     */
    public static String id(TrainConfig config) throws IOException {
        Map<String, Object> settings = identity(config);
        // remove(key, value) drops a setting only where it equals the default
        identity(new TrainConfig()).forEach(settings::remove);
        return config.model + "-" + hash(settings);
    }

    /**
     * The run folder of {@code config}, named by {@link #id}. If the folder holds a run whose full
     * settings differ after all (a default changed since), the full settings' hash is appended
     * instead of reusing it.
     */
    public static Path folder(Path runsDir, TrainConfig config) throws IOException {
        Path dir = runsDir.resolve(id(config));
        if (Files.exists(dir.resolve(RunFolder.CONFIG)) && !sameSettings(RunFolder.readConfig(dir), config)) {
            dir = runsDir.resolve(dir.getFileName() + "-" + hash(identity(config)));
        }
        return dir;
    }

    /** Whether two configurations train the same run (where the data lives aside). */
    static boolean sameSettings(TrainConfig stored, TrainConfig requested) throws IOException {
        return JSON.writeValueAsString(identity(stored)).equals(JSON.writeValueAsString(identity(requested)));
    }

    private static Map<String, Object> identity(TrainConfig config) {
        Map<String, Object> settings = TrialStore.settings(config);
        LOCATION.forEach(settings::remove);
        return settings;
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
