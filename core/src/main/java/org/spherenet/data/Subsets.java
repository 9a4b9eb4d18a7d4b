package org.spherenet.data;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Deterministic class-balanced subsets: a fraction of the data for experiments, and the part of an
 * image folder held out for evaluation.
 */
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

    /**
     * Chooses the samples held out for evaluation, stratified: of every class with n >= 2 samples,
     * {@code round(fraction * n)} clamped to [1, n - 1], so both parts have every such class; a
     * class with a single sample keeps it for training. Which samples is drawn from {@link
     * Seeds#forHeldOut}(seed), class by class in label order, so the same labels, fraction and
     * seed always give the same split.
     *
     * @param labels the label of every sample
     * @param numClasses number of classes
     * @param fraction the share held out, in (0, 1)
     * @param seed the run's seed
     * @return for every sample, whether it is held out
     */
    static boolean[] heldOutPerClass(int[] labels, int numClasses, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException(
                    "validation fraction must be in (0, 1), got " + fraction);
        }
        // the samples grouped by class, each group in sample order (a counting sort)
        int[] start = new int[numClasses + 1];
        for (int label : labels) {
            start[label + 1]++;
        }
        for (int c = 0; c < numClasses; c++) {
            start[c + 1] += start[c];
        }
        int[] members = new int[labels.length];
        int[] next = start.clone();
        for (int i = 0; i < labels.length; i++) {
            members[next[labels[i]]++] = i;
        }
        SplittableRandom random = Seeds.forHeldOut(seed);
        boolean[] heldOut = new boolean[labels.length];
        for (int c = 0; c < numClasses; c++) {
            int n = start[c + 1] - start[c];
            int k = n < 2 ? 0 : Math.min(n - 1, Math.max(1, (int) Math.round(fraction * n)));
            for (int j = 0; j < k; j++) { // the first k of a seeded Fisher-Yates shuffle
                int a = start[c] + j;
                int b = a + random.nextInt(n - j);
                int chosen = members[b];
                members[b] = members[a];
                members[a] = chosen;
                heldOut[chosen] = true;
            }
        }
        return heldOut;
    }
}
