package org.spherenet.experiment;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.spherenet.train.AtomicFiles;
import org.spherenet.train.Metrics;
import org.spherenet.train.Summary;
import org.spherenet.train.TrainConfig;

/**
 * The records of finished runs kept with the results, so that a run recorded in a committed
 * {@code results/} counts as done on a machine without the run folders: one file per run,
 * {@code results/trials/RUN.json} (written as each run finishes, so shards on several machines
 * never write the same file), plus the trials every study's {@code results.json} lists (the same
 * record format). A record holds the run's settings, summary, curve, gradient statistics and
 * learned k: what the studies read of a run.
 */
public final class TrialStore {

    /** The folder of run records under the results folder. */
    public static final String FOLDER = "trials";

    private static final ObjectMapper READER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final Path dir;
    private final Map<String, JsonNode> records = new HashMap<>();

    private TrialStore(Path dir) {
        this.dir = dir;
    }

    /** Reads every record under {@code resultsDir} (a missing folder holds none). */
    public static TrialStore open(Path resultsDir) throws IOException {
        TrialStore store = new TrialStore(resultsDir.resolve(FOLDER));
        if (Files.isDirectory(store.dir)) {
            try (Stream<Path> files = Files.list(store.dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    store.add(read(f));
                }
            }
        }
        for (Path study : ResultsIndex.studyFolders(resultsDir)) {
            ResultsIndex.read(study).path("trials").forEach(store::add);
        }
        return store;
    }

    private static JsonNode read(Path file) throws IOException {
        try {
            return READER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": unreadable run record ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private void add(JsonNode record) {
        if (record.has("config") && record.has("testAccuracy")) {
            try {
                records.putIfAbsent(TrialRunner.id(config(record)), record);
            } catch (IOException | IllegalArgumentException e) {
                // a record this version cannot read counts as not done
            }
        }
    }

    /** How many runs are recorded. */
    public int size() {
        return records.size();
    }

    /** The recorded run with exactly these settings (where the data lives aside), if any. */
    public Optional<TrialResult> find(String label, TrainConfig config) throws IOException {
        JsonNode record = records.get(TrialRunner.id(config));
        if (record == null || !TrialRunner.sameSettings(config(record), config)) {
            return Optional.empty();
        }
        return Optional.of(restore(label, config, record));
    }

    /**
     * Writes the record of {@code result} unless it exists already.
     *
     * @param software what trained it (engine, SphereConv kernels: {@link MachineInfo#software()}),
     *     or null when it is not known (a run an earlier process finished)
     */
    public void save(TrialResult result, Map<String, String> software) throws IOException {
        Path file = dir.resolve(result.run() + ".json");
        if (!Files.exists(file)) {
            Files.createDirectories(dir);
            Map<String, Object> fields = record(result);
            if (software != null) {
                fields.put("software", software);
            }
            JsonNode record = Experiment.JSON.valueToTree(fields);
            AtomicFiles.writeString(file, Experiment.JSON.writeValueAsString(record));
            records.putIfAbsent(TrialRunner.id(result.config()), record);
        }
    }

    /** What the results keep of a run (the entries of {@code trials} in results.json, too). */
    static Map<String, Object> record(TrialResult t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", t.label());
        m.put("seed", t.seed());
        m.put("testAccuracy", t.accuracy());
        m.put("bestTestAccuracy", t.summary().bestTestAccuracy());
        m.put("bestIteration", t.summary().bestIteration());
        m.put("iterations", t.summary().iterations());
        m.put("elapsedSeconds", t.summary().elapsedSeconds());
        m.put("skippedSteps", t.summary().skippedSteps());
        m.put("parameters", t.summary().parameters());
        m.put("run", t.run());
        m.put("curve", t.metrics().stream()
                .map(r -> List.of(r.iteration(), r.trainAccuracy(), r.testAccuracy(), r.fitLoss()))
                .toList());
        if (t.gradients().layers() > 0) {
            m.put("gradients", t.gradients());
        }
        if (!t.learnedK().isEmpty()) {
            m.put("learnedK", t.learnedK());
        }
        m.put("config", t.config());
        return m;
    }

    private static TrialResult restore(String label, TrainConfig config, JsonNode r) {
        Summary summary = new Summary(r.path("iterations").asLong(), true, r.path("testAccuracy").asDouble(),
                r.path("bestTestAccuracy").asDouble(), r.path("bestIteration").asLong(),
                r.path("elapsedSeconds").asDouble(), r.path("skippedSteps").asLong(), r.path("parameters").asLong());
        List<Metrics> metrics = new ArrayList<>();
        for (JsonNode row : r.path("curve")) {
            metrics.add(new Metrics(row.get(0).asLong(), 0, row.get(3).asDouble(), 0, 0, row.get(1).asDouble(),
                    row.get(2).asDouble(), 0, 0, 0, 0));
        }
        LayerGradients gradients = r.has("gradients")
                ? READER.convertValue(r.get("gradients"), LayerGradients.class) : LayerGradients.NONE;
        List<double[]> learnedK = new ArrayList<>();
        r.path("learnedK").forEach(k -> learnedK.add(READER.convertValue(k, double[].class)));
        return new TrialResult(label, config, summary, metrics, gradients, learnedK, r.path("run").asText());
    }

    private static TrainConfig config(JsonNode record) {
        return READER.convertValue(record.get("config"), TrainConfig.class);
    }

    /** The settings as a map (for comparisons that ignore some keys). */
    static Map<String, Object> settings(TrainConfig config) {
        return READER.convertValue(config, MAP);
    }
}
