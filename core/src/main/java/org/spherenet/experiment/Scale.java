package org.spherenet.experiment;

import java.util.Locale;
import org.spherenet.train.TrainConfig;

/**
 * How big a study's runs are. Every study derives its runs from {@link #base(String)}; below the
 * standard scale some studies shorten or lengthen their runs by a factor ({@link #iterations}),
 * at standard and paper scale every run has the full length.
 */
public enum Scale {
    /** Seconds: a few steps on a sliver of the data (what the tests run). */
    TINY(0.0625, 16, 4, 0.01, 256, 1, 0),
    /**
     * The short runs the first results were made with (formerly {@code cpu}): width 0.125, 500
     * iterations as the base, one seed. Indicative only: at this length rankings can differ from
     * full-length ones.
     */
    QUICK(0.125, 64, 500, 1, 0, 1, 0),
    /**
     * The main job's recipe at six epochs for every run (width 0.125, batch 64, 5,600 iterations
     * with the cosine schedule; the main job trains eight since 2026-12-01), three seeds per
     * setting, the whole test set every 200 iterations.
     */
    STANDARD(0.125, 64, 5600, 1, 0, 3, 200),
    /** The authors' widths and schedule (for a GPU): 64k iterations of batch 128. */
    PAPER(1, 128, 64_000, 1, 0, 3, 2000);

    private final double width;
    private final int batchSize;
    private final long iterations;
    private final double dataFraction;
    private final int evalLimit;
    private final int defaultSeeds;
    /** Iterations between evaluations (0: only at the end). */
    private final long evalEvery;

    Scale(double width, int batchSize, long iterations, double dataFraction, int evalLimit, int defaultSeeds,
            long evalEvery) {
        this.width = width;
        this.batchSize = batchSize;
        this.iterations = iterations;
        this.dataFraction = dataFraction;
        this.evalLimit = evalLimit;
        this.defaultSeeds = defaultSeeds;
        this.evalEvery = evalEvery;
    }

    /**
     * Parses {@code tiny}, {@code quick}, {@code standard} or {@code paper} ({@code cpu}, the old
     * name of quick, too).
     *
     * @throws IllegalArgumentException naming the choices
     */
    public static Scale parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return QUICK;
        }
        try {
            return valueOf(n.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown scale '" + name + "' (expected tiny, quick, standard or paper)");
        }
    }

    /**
     * The settings every run of a study starts from: the main job's recipe at this scale's size,
     * or the authors' recipe (Adam 1e-3 divided by 10 at 34/64 and 54/64, label smoothing 0.01) at
     * paper scale.
     */
    public TrainConfig base(String dataset) {
        TrainConfig c = new TrainConfig();
        c.dataset = dataset;
        c.width = width;
        c.batchSize = batchSize;
        c.iterations = iterations;
        c.dataFraction = dataFraction;
        c.evalLimit = evalLimit;
        if (this == PAPER) {
            c.learningRate = 1e-3;
            c.schedule = "step";
            c.labelSmoothing = 0.01;
        }
        c.evalEvery = evalEvery > 0 ? evalEvery : iterations;
        c.checkpointEvery = iterations;
        return c;
    }

    /** Whether every run has the full length, whatever factor a study asks for. */
    public boolean fullLength() {
        return this == STANDARD || this == PAPER;
    }

    /** Whether this scale's verdicts are indicative only (runs too short to rank settings). */
    public boolean indicativeOnly() {
        return this == TINY || this == QUICK;
    }

    /** The base iterations times {@code factor} (1 at full length), at least 2. */
    public long iterations(double factor) {
        return Math.max(2, Math.round(iterations * (fullLength() ? 1 : factor)));
    }

    /** Iterations between evaluations (0: only at the end). */
    public long evalEvery() {
        return evalEvery;
    }

    /** Seeds per setting when the command line does not say. */
    public int defaultSeeds() {
        return defaultSeeds;
    }

    /** The dataset a study uses when the command line does not say. */
    public String defaultDataset() {
        return this == PAPER ? "cifar10" : "fashion-mnist";
    }

    /** "quick (indicative only)", "standard", ... as reports name the scale. */
    public String describe() {
        return indicativeOnly() ? this + " (indicative only)" : toString();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
