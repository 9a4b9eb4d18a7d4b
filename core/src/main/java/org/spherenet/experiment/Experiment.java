package org.spherenet.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.spherenet.train.AtomicFiles;
import org.spherenet.train.FiniteJson;
import org.spherenet.train.TrainConfig;

/**
 * Runs one study and writes {@code results/NAME/}: {@code report.md} (tables, plots, checks with
 * intervals and verdicts, and how it was made), {@code results.json} (every number) and the
 * plots; then refreshes the index {@code results/README.md}. The study's runs go seed by seed
 * through its cells; each is read back if it finished earlier (here or in the committed results),
 * trained if it is this call's to train, and otherwise reported missing.
 */
public final class Experiment {

    static final ObjectMapper JSON = FiniteJson.mapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static final String REPORT = "report.md";
    public static final String RESULTS = "results.json";

    /**
     * What the command line chose.
     *
     * @param scale tiny, quick, standard or paper
     * @param dataset the dataset name ({@code null}: the scale's default)
     * @param dataDir a folder holding it, or null to search the usual places
     * @param seeds runs per setting ({@code 0}: the scale's default)
     * @param resultsDir where {@code NAME/}, the run records and the index go
     * @param runsDir where the run folders go (shared by all studies, so runs are reused)
     * @param command the command line, as the report shows it
     * @param shard the share of the runs this process trains; a shard of several writes no report
     * @param reportOnly train nothing: report the runs that exist and list the missing ones
     * @param budget when to stop starting runs
     */
    public record Options(Scale scale, String dataset, String dataDir, int seeds, Path resultsDir, Path runsDir,
            String command, Shard shard, boolean reportOnly, Budget budget) {

        /** The whole study, trained without a time limit. */
        public Options(Scale scale, String dataset, String dataDir, int seeds, Path resultsDir, Path runsDir,
                String command) {
            this(scale, dataset, dataDir, seeds, resultsDir, runsDir, command, Shard.ALL, false, Budget.unlimited());
        }

        String datasetOrDefault() {
            return dataset == null ? scale.defaultDataset() : dataset;
        }

        int seedsOrDefault() {
            return seeds > 0 ? seeds : scale.defaultSeeds();
        }
    }

    /**
     * What one call did.
     *
     * @param dir the study's folder
     * @param planned runs the study plans (cells x seeds)
     * @param finished runs that exist now
     * @param trained runs this call trained
     * @param missing the labels of the runs that do not exist yet, in the order they would run
     * @param reportWritten whether the report was written (not by a shard of several)
     * @param runs the names of the study's runs (run folders), planned and missing: studies share runs
     */
    public record Outcome(Path dir, int planned, int finished, int trained, List<String> missing, boolean reportWritten,
            RunNames runs) {

        public boolean complete() {
            return missing.isEmpty();
        }
    }

    /**
     * Run names (as {@link TrialRunner#id}), to count the distinct runs of several studies.
     *
     * @param planned every run the study plans
     * @param missing those that do not exist yet
     */
    public record RunNames(Set<String> planned, Set<String> missing) {}

    private Experiment() {}

    /**
     * Trains the study's runs that are missing (this shard's, within the budget; none if report
     * only), then writes its results from every run that exists.
     */
    public static Outcome run(Study study, Options options, PrintStream log) throws IOException {
        Path dir = options.resultsDir().resolve(study.name());
        TrainConfig probe = options.scale().base(options.datasetOrDefault());
        probe.dataDir = options.dataDir();
        probe.validate(); // a bad dataset name fails here, before anything is written
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long start = System.nanoTime();
        log.printf("%s (%s scale, %s%s):%n", study.title(), options.scale(), options.datasetOrDefault(),
                options.reportOnly() ? ", report only" : options.shard().isWhole() ? "" : ", shard " + options.shard());

        Report report = new Report(study.title(), dir);
        StudyContext context = new StudyContext(options.scale(), options.datasetOrDefault(), options.dataDir(),
                options.seedsOrDefault(), report);
        TrialRunner runner = new TrialRunner(options.runsDir(), TrialStore.open(options.resultsDir()), log);
        List<Cell> cells = study.cells(context);
        if (cells.stream().map(Cell::label).distinct().count() != cells.size()) {
            throw new IllegalStateException(study.name() + ": two cells share a label");
        }
        List<String> missing = new ArrayList<>();
        Map<String, List<Long>> missingSeeds = new LinkedHashMap<>();
        RunNames names = new RunNames(new LinkedHashSet<>(), new LinkedHashSet<>());
        int trained = 0;
        int planned = 0;
        for (Scheduled run : schedule(cells, context.seeds())) {
            planned++;
            TrainConfig config = run.config();
            String label = run.label();
            Optional<TrialResult> result = runner.finished(label, config);
            String id = TrialRunner.id(config);
            names.planned().add(id);
            if (result.isEmpty() && !options.reportOnly() && options.shard().owns(id) && !options.budget().spent()) {
                Files.createDirectories(options.runsDir());
                result = Optional.of(runner.train(label, config));
                trained++;
            }
            result.ifPresentOrElse(r -> context.add(run.cell().label(), r), () -> {
                missing.add(label);
                names.missing().add(id);
                missingSeeds.computeIfAbsent(run.cell().label(), k -> new ArrayList<>()).add(config.seed);
            });
        }
        int finished = planned - missing.size();
        if (!options.shard().isWhole() && !options.reportOnly()) {
            log.printf("%s: shard %s trained %d runs; %d of %d runs of the study exist (records in %s);"
                    + " write the report with --report-only%n", study.name(), options.shard(), trained, finished,
                    planned, options.resultsDir().resolve(TrialStore.FOLDER));
            return new Outcome(dir, planned, finished, trained, missing, false, names);
        }

        Files.createDirectories(dir);
        report.paragraph("**The claim.** " + study.claim());
        if (!missing.isEmpty()) {
            report.paragraph(String.format(Locale.ROOT, "**Partial study: %d of %d runs finished, so every verdict"
                    + " below is provisional.** Missing runs (`%s` without --report-only trains them, in the"
                    + " schedule's order):", finished, planned, options.command()))
                    .bullets(missingSeeds.entrySet().stream().map(e -> e.getKey() + (context.seeds() == 1 ? ""
                            : ": seed" + (e.getValue().size() > 1 ? "s " : " ")
                                    + String.join(", ", e.getValue().stream().map(String::valueOf).toList())))
                            .toList());
        }
        report.paragraph(scaleDescription(context));
        report.paragraph(besideThePaper(context));
        context.markPartial(finished, planned);
        study.report(context);
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        // what the study's runs cost when they were trained (some may be read back from earlier)
        Map<String, Double> runSeconds = context.trials().stream().collect(java.util.stream.Collectors.toMap(
                TrialResult::run, t -> t.summary().elapsedSeconds(), (a, b) -> a));
        double trainingSeconds = runSeconds.values().stream().mapToDouble(Double::doubleValue).sum();

        Map<String, String> machine = MachineInfo.machine();
        Map<String, String> software = MachineInfo.software();
        report.section("How this was made")
                .code(options.command())
                .bullets(List.of(
                        "report written " + started + " (" + duration(wallSeconds) + "); training its "
                                + runSeconds.size() + " finished runs took " + duration(trainingSeconds)
                                + " in all, the sum of each run's wall-clock time (timed when it was trained, beside"
                                + " whatever else ran then; runs trained side by side, as two shards are, overlap;"
                                + " runs shared with other studies count in each)",
                        "machine of this report: " + describe(machine),
                        "software: " + describe(software),
                        "run folders (configuration, logs, checkpoints): `" + options.runsDir() + "`; each run's"
                                + " record: `" + TrialStore.FOLDER + "/RUN.json` beside the study folders"));

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("study", study.name());
        results.put("title", study.title());
        results.put("claim", study.claim());
        results.put("scale", options.scale().toString());
        results.put("indicativeOnly", options.scale().indicativeOnly());
        results.put("dataset", context.dataset());
        results.put("seeds", context.seeds());
        results.put("complete", missing.isEmpty());
        results.put("runsPlanned", planned);
        results.put("runsFinished", finished);
        results.put("missing", missing);
        results.put("command", options.command());
        results.put("started", started.toString());
        results.put("wallSeconds", Math.round(wallSeconds));
        results.put("trainingSeconds", Math.round(trainingSeconds));
        results.put("machine", machine);
        results.put("software", software);
        results.put("checks", context.checks().stream().map(Check::json).toList());
        results.put("findings", context.findings());
        results.put("trials", context.trials().stream().map(TrialStore::record).toList());
        AtomicFiles.writeString(dir.resolve(REPORT), report.markdown());
        AtomicFiles.writeString(dir.resolve(RESULTS), JSON.writeValueAsString(results));
        ResultsIndex.write(options.resultsDir());
        log.printf("%s: written (%d of %d runs%s) in %s%n", dir.resolve(REPORT), finished, planned,
                missing.isEmpty() ? "" : ", partial", duration(wallSeconds));
        return new Outcome(dir, planned, finished, trained, missing, true, names);
    }

    private static String besideThePaper(StudyContext context) {
        TrainConfig base = context.base();
        return String.format(Locale.ROOT, "**Beside the paper.** The paper's numbers (CIFAR-10, SphereNet-9 at width 1:"
                + " 128/192/256 channels; 64,000 iterations of batch 128, Adam 1e-3 divided by 10 twice, label"
                + " smoothing 0.01; the best test accuracy of one run) stand beside ours in the tables. Ours differ"
                + " in the dataset (%s), the width (%s), the length (%,d iterations of batch %d), the recipe (%s %s"
                + " at %s, label smoothing %s) and in reporting the final accuracy, averaged over seeds. So the"
                + " levels differ; the checks ask whether each difference the paper reports has the same"
                + " direction here.", context.dataset(), base.width, base.iterations, base.batchSize, base.optimizer,
                base.schedule, base.learningRate, base.labelSmoothing);
    }

    /** One run of a study's schedule: a cell with its seed. */
    record Scheduled(Cell cell, String label, TrainConfig config) {}

    /**
     * The runs of {@code cells} in the order they are trained: stage by stage, then seed by seed,
     * so that a partial study has every cell of a stage once before it has any twice.
     */
    static List<Scheduled> schedule(List<Cell> cells, int seeds) {
        List<Scheduled> order = new ArrayList<>();
        int stages = cells.stream().mapToInt(Cell::stage).max().orElse(0);
        for (int stage = 0; stage <= stages; stage++) {
            for (int seed = 1; seed <= seeds; seed++) {
                for (Cell cell : cells) {
                    if (cell.stage() == stage) {
                        TrainConfig config = StudyContext.copy(cell.config());
                        config.seed = seed;
                        order.add(new Scheduled(cell, seeds == 1 ? cell.label() : cell.label() + " (seed " + seed + ")",
                                config));
                    }
                }
            }
        }
        return order;
    }

    /**
     * The runs of this shard that {@code study} still needs (neither in the run folders nor
     * recorded in the results), each once, in the schedule's order; trains nothing (finished run
     * folders are recorded in the results, as {@link #run} records them). The Spark module trains
     * these elsewhere, then {@link #run} reads them back.
     */
    public static List<TrainConfig> plan(Study study, Options options) throws IOException {
        Report scratch = new Report(study.title(), options.resultsDir().resolve(study.name()));
        StudyContext context = new StudyContext(options.scale(), options.datasetOrDefault(), options.dataDir(),
                options.seedsOrDefault(), scratch);
        TrialRunner runner = new TrialRunner(options.runsDir(), TrialStore.open(options.resultsDir()),
                new PrintStream(OutputStream.nullOutputStream()));
        Map<String, TrainConfig> needed = new LinkedHashMap<>();
        for (Scheduled run : schedule(study.cells(context), context.seeds())) {
            String id = TrialRunner.id(run.config());
            if (options.shard().owns(id) && runner.finished(run.label(), run.config()).isEmpty()) {
                needed.putIfAbsent(id, run.config());
            }
        }
        return new ArrayList<>(needed.values());
    }

    private static String scaleDescription(StudyContext context) {
        TrainConfig base = context.base();
        return String.format(Locale.ROOT,
                "**Scale: %s.** Dataset %s; unless a table says otherwise every run trains for %,d iterations"
                        + " of batch %d at width %s of the paper's channels (%s), %s with %s learning rate %s,"
                        + " label smoothing %s, augmentation %s, %s per setting; test accuracy is measured on %s"
                        + " test images%s. Differences come with 95 %% t intervals (paired by seed: runs with the"
                        + " same seed see the same batches) and a verdict per comparison: confirmed or refuted when"
                        + " the interval excludes zero, undecided when it does not or when a side has fewer than"
                        + " two seeds.%s",
                context.scale().describe(), context.dataset(), base.iterations, base.batchSize, base.width,
                channels(base.width), base.optimizer, base.schedule, base.learningRate,
                base.labelSmoothing, base.augmentation,
                context.seeds() == 1 ? "one seed" : context.seeds() + " seeds",
                base.evalLimit == 0 ? "all" : "the first " + base.evalLimit,
                base.evalEvery < base.iterations ? String.format(Locale.ROOT, " every %,d iterations", base.evalEvery)
                        : " at the end",
                context.scale().indicativeOnly()
                        ? " **Indicative only:** these runs are far shorter than the main job's, and at this length"
                                + " the ranking of settings can differ from the ranking at full length."
                        : "");
    }

    private static String channels(double width) {
        return Math.max(1, Math.round(128 * width)) + "/" + Math.max(1, Math.round(192 * width)) + "/"
                + Math.max(1, Math.round(256 * width)) + " in the plain nets";
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
