package org.spherenet.data;

import java.util.stream.IntStream;

/** Deterministic class-balanced subsets, for experiments run on a fraction of the data. */
final class Subsets {

    private Subsets() {}

    /**
     * Keeps, for every class, its first {@code round(fraction * count)} samples in file order
     * (at least one per non-empty class), and returns their indices in file order. A fraction of
     * 0.1 of Fashion-MNIST's training set keeps exactly 600 per class.
     *
     * @param labels the label of every sample
     * @param numClasses number of classes
     * @param fraction the fraction to keep, in (0, 1]
     * @return the kept indices, ascending
     */
    static int[] firstFractionPerClass(int[] labels, int numClasses, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        if (fraction == 1) {
            return IntStream.range(0, labels.length).toArray();
        }
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        int[] keep = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            keep[c] = counts[c] == 0 ? 0 : Math.max(1, (int) Math.round(fraction * counts[c]));
        }
        int[] taken = new int[numClasses];
        return IntStream.range(0, labels.length)
                .filter(i -> taken[labels[i]]++ < keep[labels[i]])
                .toArray();
    }
}
