package org.spherenet.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spherenet.train.TrainConfig;

/**
 * What a study works with: the scale, the dataset and number of seeds chosen on the command line,
 * a way to train (cached by {@link TrialRunner}), the report being written, and the findings that
 * go to {@code results.json}.
 */
public final class StudyContext {

    private final Scale scale;
    private final String dataset;
    private final String dataDir;
    private final int seeds;
    private final TrialRunner runner;
    private final Report report;
    private final List<TrialResult> trials = new ArrayList<>();
    private final Map<String, Object> findings = new LinkedHashMap<>();

    StudyContext(Scale scale, String dataset, String dataDir, int seeds, TrialRunner runner, Report report) {
        this.scale = scale;
        this.dataset = dataset;
        this.dataDir = dataDir;
        this.seeds = seeds;
        this.runner = runner;
        this.report = report;
    }

    /** The scale's base settings on this dataset (one evaluation, at the end; gradient log on). */
    public TrainConfig base() {
        return base(1);
    }

    /** The base settings with {@code factor} times the scale's iterations. */
    public TrainConfig base(double factor) {
        TrainConfig c = scale.base(dataset);
        c.dataDir = dataDir;
        c.iterations = scale.iterations(factor);
        c.evalEvery = c.iterations;
        c.checkpointEvery = c.iterations;
        // about 50 rows per run: enough for per-layer statistics, cheap to collect
        c.gradientLogEvery = Math.max(1, c.iterations / 50);
        return c;
    }

    /** Trains one run (seed as in {@code config}). */
    public TrialResult train(String label, TrainConfig config) throws IOException {
        TrialResult result = runner.run(label, config);
        trials.add(result);
        return result;
    }

    /** Trains {@code config} once per seed (1, 2, ...). */
    public List<TrialResult> trainSeeds(String label, TrainConfig config) throws IOException {
        List<TrialResult> results = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
            TrainConfig c = copy(config);
            c.seed = seed;
            results.add(train(seeds == 1 ? label : label + " (seed " + seed + ")", c));
        }
        return results;
    }

    /**
     * Writes the study's verdict: a one-sentence headline (also shown in the results index) and
     * the points behind it, each saying where the small scale agrees with the paper and where not.
     */
    public void conclude(String headline, List<String> details) {
        report.section("What this shows").paragraph("**" + headline + "**").bullets(details);
        record("verdict", headline);
        record("verdictDetails", details);
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

    List<TrialResult> trials() {
        return trials;
    }

    Map<String, Object> findings() {
        return findings;
    }

    /** A field-by-field copy (a config is a plain settings record). */
    public static TrainConfig copy(TrainConfig config) {
        return Experiment.JSON.convertValue(config, TrainConfig.class);
    }
}
