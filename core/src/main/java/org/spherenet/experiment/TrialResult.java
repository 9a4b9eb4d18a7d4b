package org.spherenet.experiment;

import java.nio.file.Path;
import java.util.List;
import org.spherenet.train.GradientLog;
import org.spherenet.train.Metrics;
import org.spherenet.train.Summary;
import org.spherenet.train.TrainConfig;

/**
 * One finished training run of a study.
 *
 * @param label what the study calls it
 * @param config its settings
 * @param summary how it ended
 * @param metrics its log rows (one per evaluation)
 * @param gradients its gradient log (empty unless the config asked for one)
 * @param runDir its run folder (checkpoint, curves)
 */
public record TrialResult(
        String label,
        TrainConfig config,
        Summary summary,
        List<Metrics> metrics,
        List<GradientLog.Row> gradients,
        Path runDir) {

    /** Final test accuracy. */
    public double accuracy() {
        return summary.finalTestAccuracy();
    }

    /** The first evaluated iteration with test accuracy at least {@code level}, or -1. */
    public long iterationsToReach(double level) {
        for (Metrics m : metrics) {
            if (m.testAccuracy() >= level) {
                return m.iteration();
            }
        }
        return -1;
    }
}
