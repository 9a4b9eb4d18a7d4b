package org.spherenet.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spherenet.train.AtomicFiles;
import org.spherenet.train.TrainConfig;

/**
 * Runs one study and writes {@code results/NAME/}: {@code report.md} (tables, plots, verdicts,
 * and how it was made), {@code results.json} (every number) and the plots; then refreshes the
 * index {@code results/README.md}.
 */
public final class Experiment {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static final String REPORT = "report.md";
    public static final String RESULTS = "results.json";

    /**
     * What the command line chose.
     *
     * @param scale tiny, cpu or paper
     * @param dataset the dataset name ({@code null}: the scale's default)
     * @param dataDir a folder holding it, or null to search the usual places
     * @param seeds runs per setting ({@code 0}: the scale's default)
     * @param resultsDir where {@code NAME/} and the index go
     * @param runsDir where the run folders go (shared by all studies, so runs are reused)
     * @param command the command line, as the report shows it
     */
    public record Options(
            Scale scale, String dataset, String dataDir, int seeds, Path resultsDir, Path runsDir, String command) {

        String datasetOrDefault() {
            return dataset == null ? scale.defaultDataset() : dataset;
        }

        int seedsOrDefault() {
            return seeds > 0 ? seeds : scale.defaultSeeds();
        }
    }

    private Experiment() {}

    /**
     * Runs {@code study} and writes its results.
     *
     * @return the study's folder
     */
    public static Path run(Study study, Options options, PrintStream log) throws IOException {
        Path dir = options.resultsDir().resolve(study.name());
        TrainConfig probe = options.scale().base(options.datasetOrDefault());
        probe.dataDir = options.dataDir();
        probe.validate(); // a bad dataset name fails here, before anything is written
        Files.createDirectories(dir);
        Files.createDirectories(options.runsDir());
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long start = System.nanoTime();
        log.printf("%s (%s scale, %s):%n", study.title(), options.scale(), options.datasetOrDefault());

        Report report = new Report(study.title(), dir);
        report.paragraph("**The claim.** " + study.claim());
        StudyContext context = new StudyContext(options.scale(), options.datasetOrDefault(), options.dataDir(),
                options.seedsOrDefault(), new TrialRunner(options.runsDir(), log), report);
        report.paragraph(scaleDescription(context));
        study.run(context);
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        // what the study's runs cost when they were trained (some may be read back from earlier)
        Map<Path, Double> runSeconds = context.trials().stream().collect(java.util.stream.Collectors.toMap(
                TrialResult::runDir, t -> t.summary().elapsedSeconds(), (a, b) -> a));
        double trainingSeconds = runSeconds.values().stream().mapToDouble(Double::doubleValue).sum();

        Map<String, String> machine = MachineInfo.machine();
        Map<String, String> software = MachineInfo.software();
        report.section("How this was made")
                .code(options.command())
                .bullets(List.of(
                        "started " + started + ", wall time " + duration(wallSeconds) + "; training its "
                                + runSeconds.size() + " runs took " + duration(trainingSeconds)
                                + " in all (a run already trained by an earlier experiment is read back)",
                        "machine: " + describe(machine),
                        "software: " + describe(software),
                        "run folders (configuration, logs, checkpoints): `" + options.runsDir() + "`"));

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("study", study.name());
        results.put("title", study.title());
        results.put("claim", study.claim());
        results.put("scale", options.scale().toString());
        results.put("dataset", context.dataset());
        results.put("seeds", context.seeds());
        results.put("command", options.command());
        results.put("started", started.toString());
        results.put("wallSeconds", Math.round(wallSeconds));
        results.put("trainingSeconds", Math.round(trainingSeconds));
        results.put("machine", machine);
        results.put("software", software);
        results.put("findings", context.findings());
        results.put("trials", trials(context.trials()));
        AtomicFiles.writeString(dir.resolve(REPORT), report.markdown());
        AtomicFiles.writeString(dir.resolve(RESULTS), JSON.writeValueAsString(results));
        ResultsIndex.write(options.resultsDir());
        log.printf("%s: written in %s%n", dir.resolve(REPORT), duration(wallSeconds));
        return dir;
    }

    /**
     * The runs {@code study} still needs, found by walking it through with placeholder results for
     * the unfinished ones (nothing is trained or written but a scratch report). A study that picks
     * runs from earlier results, or that fails on placeholders, may need more than listed: plan
     * again once these are trained, until the list is empty.
     *
     * @return the unfinished runs' configurations, each once, in the order the study asks for them
     */
    public static List<TrainConfig> plan(Study study, Options options) throws IOException {
        Map<Path, TrainConfig> planned = new LinkedHashMap<>();
        Path scratch = Files.createTempDirectory("spherenet-plan");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try {
            TrialRunner runner = new TrialRunner(options.runsDir(), quiet, config -> {
                try {
                    planned.putIfAbsent(TrialRunner.folder(options.runsDir(), config), StudyContext.copy(config));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            StudyContext context = new StudyContext(options.scale(), options.datasetOrDefault(), options.dataDir(),
                    options.seedsOrDefault(), runner, new Report(study.title(), scratch));
            try {
                study.run(context);
            } catch (RuntimeException placeholdersNotEnough) {
                // the runs planned so far are still needed; the next plan finds the rest
            }
        } finally {
            try (var files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return new ArrayList<>(planned.values());
    }

    private static String scaleDescription(StudyContext context) {
        TrainConfig base = context.base();
        return String.format(Locale.ROOT,
                "**Scale: %s.** Dataset %s; unless a table says otherwise every run trains for %,d iterations"
                        + " of batch %d at width %s of the paper's channels (%s), %s with %s learning rate %s,"
                        + " label smoothing %s, augmentation %s, %s %s; test accuracy is measured on %s"
                        + " test images.",
                context.scale(), context.dataset(), base.iterations, base.batchSize, base.width,
                channels(base.width), base.optimizer, base.schedule, base.learningRate,
                base.labelSmoothing, base.augmentation,
                context.seeds() == 1 ? "one seed" : context.seeds() + " seeds",
                context.seeds() == 1 ? "per setting (differences under "
                        + Comparison.SINGLE_RUN_NOISE + " points are treated as noise)"
                        : "per setting (mean ± standard deviation)",
                base.evalLimit == 0 ? "all" : "the first " + base.evalLimit);
    }

    private static String channels(double width) {
        return Math.max(1, Math.round(128 * width)) + "/" + Math.max(1, Math.round(192 * width)) + "/"
                + Math.max(1, Math.round(256 * width)) + " in the plain nets";
    }

    private static List<Map<String, Object>> trials(List<TrialResult> trials) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (TrialResult t : trials) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", t.label());
            m.put("testAccuracy", t.accuracy());
            m.put("bestTestAccuracy", t.summary().bestTestAccuracy());
            m.put("iterations", t.summary().iterations());
            m.put("elapsedSeconds", t.summary().elapsedSeconds());
            m.put("skippedSteps", t.summary().skippedSteps());
            m.put("parameters", t.summary().parameters());
            m.put("run", t.runDir().getFileName().toString());
            m.put("curve", t.metrics().stream()
                    .map(r -> List.of(r.iteration(), r.trainAccuracy(), r.testAccuracy(), r.fitLoss()))
                    .toList());
            m.put("config", t.config());
            list.add(m);
        }
        return list;
    }

    private static String describe(Map<String, String> m) {
        return String.join(", ", m.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s"
                : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
