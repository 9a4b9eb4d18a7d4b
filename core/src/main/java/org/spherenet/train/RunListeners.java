package org.spherenet.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The listeners that write a run folder's files, the same for the CLI and for experiments. */
public final class RunListeners {

    private RunListeners() {}

    /** {@code metrics.jsonl/csv}, {@code curves.png}, and {@code gradients.jsonl} when enabled. */
    public static List<TrainingListener> standard(Path dir, TrainConfig config) {
        MetricsLog log = new MetricsLog(dir);
        List<TrainingListener> listeners = new ArrayList<>(List.of(log, new CurvePlot(dir, log)));
        if (config.gradientLogEvery > 0) {
            listeners.add(new GradientLog(dir, config.gradientLogEvery));
        }
        return listeners;
    }
}
