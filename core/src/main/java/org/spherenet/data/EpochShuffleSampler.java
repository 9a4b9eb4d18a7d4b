package org.spherenet.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Shuffles the dataset with a permutation that depends only on (seed, epoch), unlike DJL's {@code
 * RandomSampler} which draws from a global generator: a resumed run sees the same order.
 *
 * <p>The epoch is read from the dataset when it is an {@link ImageDataset} (set it with {@link
 * ImageDataset#setEpoch}); otherwise from {@link #setEpoch} on this sampler.
 */
public final class EpochShuffleSampler implements Sampler.SubSampler {

    private final long seed;
    private volatile int epoch;

    /**
     * Creates the sampler.
     *
     * @param seed the run's seed
     */
    public EpochShuffleSampler(long seed) {
        this.seed = seed;
    }

    /**
     * Sets the epoch used for datasets that are not {@link ImageDataset}s.
     *
     * @param epoch the epoch, from 0
     */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public Iterator<Long> sample(RandomAccessDataset dataset) {
        int e = dataset instanceof ImageDataset ? ((ImageDataset) dataset).getEpoch() : epoch;
        int[] order = permutation(Math.toIntExact(dataset.size()), Seeds.forEpoch(seed, e));
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public Long next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return (long) order[next++];
            }
        };
    }

    /** Fisher-Yates shuffle of 0..n-1. */
    static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
