package org.spherenet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.SequenceSampler;
import java.io.IOException;
import java.util.function.Function;
import org.spherenet.data.ImageDataset;

/**
 * Test-set results: accuracy, per-class accuracy and the confusion matrix ({@code [true][predicted]}
 * counts).
 *
 * @param confusion counts, rows the true class, columns the predicted one
 */
public record Evaluation(long[][] confusion) {

    /**
     * Evaluates predictions on a dataset, in order, without gradients.
     *
     * @param scores maps a batch of images to scores {@code (batch, classes)} whose argmax is the
     *     prediction
     * @param limit evaluate the first this many images (0: all), in the dataset's order
     */
    public static Evaluation of(Function<NDArray, NDArray> scores, ImageDataset dataset, int limit)
            throws IOException {
        int classes = dataset.getClassNames().size();
        long[][] confusion = new long[classes][classes];
        long seen = 0;
        BatchSampler sampler = new BatchSampler(new SequenceSampler(), 256, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Batch batch : dataset.getData(manager, sampler, null)) {
                try (batch; NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray predicted = scores.apply(batch.getData().head()).argMax(1);
                    long[] p = predicted.toType(DataType.INT64, false).toLongArray();
                    long[] t = batch.getLabels().head().toType(DataType.INT64, false).toLongArray();
                    // the last batch may pass the limit: count only the images up to it
                    int counted = limit > 0 ? (int) Math.min(p.length, limit - seen) : p.length;
                    for (int i = 0; i < counted; i++) {
                        confusion[(int) t[i]][(int) p[i]]++;
                    }
                    seen += counted;
                }
                if (limit > 0 && seen >= limit) {
                    break;
                }
            }
        }
        return new Evaluation(confusion);
    }

    public double accuracy() {
        long correct = 0;
        long total = 0;
        for (int i = 0; i < confusion.length; i++) {
            for (int j = 0; j < confusion.length; j++) {
                total += confusion[i][j];
                if (i == j) {
                    correct += confusion[i][j];
                }
            }
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Accuracy of class {@code c} (NaN when it has no images). */
    public double classAccuracy(int c) {
        long total = 0;
        for (long n : confusion[c]) {
            total += n;
        }
        return total == 0 ? Double.NaN : (double) confusion[c][c] / total;
    }
}
