package org.spherenet.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spherenet.train.TrainConfig;

/**
 * What a study works with: the scale, the dataset and number of seeds chosen on the command line,
 * the runs that exist for each of its cells, the report being written, and the findings that go
 * to {@code results.json}.
 */
public final class StudyContext {

    private final Scale scale;
    private final String dataset;
    private final String dataDir;
    private final int seeds;
    private final Report report;
    private final Map<String, List<TrialResult>> runs = new LinkedHashMap<>();
    private final Map<String, Object> findings = new LinkedHashMap<>();
    private final List<Check> checks = new ArrayList<>();
    private int finished;
    private int planned;

    StudyContext(Scale scale, String dataset, String dataDir, int seeds, Report report) {
        this.scale = scale;
        this.dataset = dataset;
        this.dataDir = dataDir;
        this.seeds = seeds;
        this.report = report;
    }

    /** The scale's base settings on this dataset (gradient log on). */
    public TrainConfig base() {
        return base(1);
    }

    /** The base settings with {@code factor} times the scale's iterations (the full length at standard scale). */
    public TrainConfig base(double factor) {
        TrainConfig c = scale.base(dataset);
        c.dataDir = dataDir;
        c.iterations = scale.iterations(factor);
        c.evalEvery = scale.evalEvery() > 0 ? scale.evalEvery() : c.iterations;
        // long runs keep checkpoints on the way, so a killed run continues
        c.checkpointEvery = scale.fullLength() ? Math.max(1, c.iterations / 4) : c.iterations;
        // about 50 rows per run: enough for per-layer statistics, cheap to collect
        c.gradientLogEvery = Math.max(1, c.iterations / 50);
        return c;
    }

    /** The finished runs of a cell, by seed (empty if none finished yet). */
    public List<TrialResult> runs(String label) {
        return runs.getOrDefault(label, List.of());
    }

    void add(String cell, TrialResult result) {
        List<TrialResult> list = new ArrayList<>(runs(cell));
        list.add(result);
        list.sort(Comparator.comparingLong(TrialResult::seed));
        runs.put(cell, list);
    }

    /**
     * Writes a table of the paper's comparisons with our differences, intervals and verdicts, and
     * records them.
     */
    public void checks(String title, String intro, List<Check> list) {
        report.section(title).paragraph(intro).table(Check.table(list));
        checks.addAll(list);
    }

    /** Every check written so far. */
    public List<Check> checks() {
        return checks;
    }

    /**
     * Writes the study's verdict: a one-sentence headline (also shown in the results index) and
     * the points behind it.
     */
    public void conclude(String headline, List<String> details) {
        if (!complete()) {
            headline = "Partial (" + finished + " of " + planned + " runs), provisional: " + headline;
        }
        report.section("What this shows").paragraph("**" + headline + "**").bullets(details);
        record("verdict", headline);
        record("verdictDetails", details);
    }

    void markPartial(int finished, int planned) {
        this.finished = finished;
        this.planned = planned;
    }

    /** Whether every planned run of the study exists. */
    public boolean complete() {
        return finished == planned;
    }

    /** Records a number (or any JSON-writable value) for {@code results.json}. */
    public void record(String key, Object value) {
        findings.put(key, value);
    }

    public Report report() {
        return report;
    }

    public Scale scale() {
        return scale;
    }

    public String dataset() {
        return dataset;
    }

    public int seeds() {
        return seeds;
    }

    /** Every finished run of the study. */
    List<TrialResult> trials() {
        return runs.values().stream().flatMap(List::stream).toList();
    }

    Map<String, Object> findings() {
        return findings;
    }

    /** A field-by-field copy (a config is a plain settings record). */
    public static TrainConfig copy(TrainConfig config) {
        return Experiment.JSON.convertValue(config, TrainConfig.class);
    }
}
