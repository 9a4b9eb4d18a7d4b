package org.spherenet.experiment;

import java.util.Locale;
import org.spherenet.train.TrainConfig;

/**
 * How big a study's runs are. Every study derives its runs from {@link #base(String)} and scales
 * iterations with {@link #iterations(double)}, so one switch takes all of them from a seconds-long
 * smoke test to the authors' setting.
 */
public enum Scale {
    /** Seconds: a few steps on a sliver of the data (what the tests run). */
    TINY(0.0625, 16, 4, 0.01, 256, 1),
    /** About an hour per study at most on two CPU cores: narrow nets, a fraction of an epoch. */
    CPU(0.125, 64, 500, 1, 0, 1),
    /** The authors' widths and schedule (for a GPU): 64k iterations of batch 128. */
    PAPER(1, 128, 64_000, 1, 0, 3);

    private final double width;
    private final int batchSize;
    private final long iterations;
    private final double dataFraction;
    private final int evalLimit;
    private final int defaultSeeds;

    Scale(double width, int batchSize, long iterations, double dataFraction, int evalLimit, int defaultSeeds) {
        this.width = width;
        this.batchSize = batchSize;
        this.iterations = iterations;
        this.dataFraction = dataFraction;
        this.evalLimit = evalLimit;
        this.defaultSeeds = defaultSeeds;
    }

    /**
     * Parses {@code tiny}, {@code cpu} or {@code paper}.
     *
     * @throws IllegalArgumentException naming the choices
     */
    public static Scale parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scale '" + name + "' (expected tiny, cpu or paper)");
        }
    }

    /**
     * The settings every run of a study starts from: the main job's recipe at this scale's size,
     * or the authors' recipe (Adam 1e-3 divided by 10 at 34/64 and 54/64, label smoothing 0.01) at
     * paper scale. Evaluates once, at the end.
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
        c.evalEvery = iterations;
        c.checkpointEvery = iterations;
        return c;
    }

    /** The base iterations times {@code factor}, at least 2. */
    public long iterations(double factor) {
        return Math.max(2, Math.round(iterations * factor));
    }

    /** Seeds per setting when the command line does not say. */
    public int defaultSeeds() {
        return defaultSeeds;
    }

    /** The dataset a study uses when the command line does not say. */
    public String defaultDataset() {
        return this == PAPER ? "cifar10" : "fashion-mnist";
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
