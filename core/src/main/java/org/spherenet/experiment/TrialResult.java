package org.spherenet.experiment;

import java.util.List;
import org.spherenet.train.Metrics;
import org.spherenet.train.Summary;
import org.spherenet.train.TrainConfig;

/**
 * One finished training run of a study, read from its run folder or from the record the results
 * keep of it ({@link TrialStore}).
 *
 * @param label what the study calls it
 * @param config its settings
 * @param summary how it ended
 * @param metrics its log rows (one per evaluation; a record keeps iteration, train and test
 *     accuracy and the fit loss)
 * @param gradients per-layer statistics of its gradient log (none if it kept no log)
 * @param learnedK per learnable-SphereConv layer {mean, min, max} of the learned k (empty for
 *     other operators)
 * @param run its run folder's name under the runs folder
 */
public record TrialResult(
        String label,
        TrainConfig config,
        Summary summary,
        List<Metrics> metrics,
        LayerGradients gradients,
        List<double[]> learnedK,
        String run) {

    /** Final test accuracy. */
    public double accuracy() {
        return summary.finalTestAccuracy();
    }

    public long seed() {
        return config.seed;
    }

    /**
     * What fixes the order and augmentation of the training batches: runs with equal keys saw the
     * same batches, so their results pair up.
     */
    public String dataOrder() {
        return config.dataset + "|" + config.dataFraction + "|" + config.batchSize + "|" + config.augmentation + "|"
                + config.seed;
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

    /** The last log row (the end of the run). */
    public Metrics last() {
        return metrics.get(metrics.size() - 1);
    }
}
