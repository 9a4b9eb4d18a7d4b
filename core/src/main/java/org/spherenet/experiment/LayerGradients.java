package org.spherenet.experiment;

import java.util.Arrays;
import java.util.List;
import org.spherenet.train.GradientLog;

/**
 * Per-layer statistics of a run's gradient log: the median over the run of each layer's gradient
 * norm and of its ratio to the weight norm, and the variation of the gradient norm over time
 * (standard deviation / mean). Kept with a run's record, so a study can use them without the run
 * folder.
 *
 * @param gradient median gradient norm per layer, in network order
 * @param relative median gradient norm / weight norm per layer
 * @param variation standard deviation / mean of the gradient norm per layer
 */
public record LayerGradients(double[] gradient, double[] relative, double[] variation) {

    /** No statistics (a run without a gradient log). */
    static final LayerGradients NONE = new LayerGradients(new double[0], new double[0], new double[0]);

    static LayerGradients of(List<GradientLog.Row> rows) {
        int layers = rows.isEmpty() ? 0 : rows.get(0).layers().size();
        double[] gradient = new double[layers];
        double[] relative = new double[layers];
        double[] variation = new double[layers];
        for (int i = 0; i < layers; i++) {
            int layer = i;
            double[] g = rows.stream().mapToDouble(r -> r.layers().get(layer).gradient()).toArray();
            double[] rel = rows.stream()
                    .mapToDouble(r -> r.layers().get(layer).gradient() / r.layers().get(layer).weight()).toArray();
            gradient[i] = Stats.median(g);
            relative[i] = Stats.median(rel);
            variation[i] = Math.sqrt(Stats.variance(g)) / Stats.mean(g);
        }
        return new LayerGradients(gradient, relative, variation);
    }

    int layers() {
        return gradient.length;
    }

    /** Largest over smallest median relative gradient among the first {@code n} layers. */
    double spread(int n) {
        double[] r = Arrays.copyOf(relative, Math.max(1, n));
        return Arrays.stream(r).max().orElse(1) / Arrays.stream(r).min().orElse(1);
    }
}
