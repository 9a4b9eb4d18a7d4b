package org.spherenet.data;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from (seed, epoch, index), so that the augmentation of sample
 * i in epoch e, and the shuffle order of epoch e, are the same however many samples were drawn
 * before: a resumed run reproduces the same batches, and worker threads may prepare samples in any
 * order.
 */
public final class Seeds {

    private Seeds() {}

    /**
     * Returns the random stream for one sample's augmentation.
     *
     * @param seed the run's seed
     * @param epoch the epoch, from 0
     * @param index the sample's index in the dataset
     * @return a fresh generator
     */
    public static SplittableRandom forSample(long seed, int epoch, long index) {
        return new SplittableRandom(mix(mix(mix(seed) ^ epoch) ^ (index + 0x632BE59BD9B4E019L)));
    }

    /**
     * Returns the random stream for one epoch's shuffle order.
     *
     * @param seed the run's seed
     * @param epoch the epoch, from 0
     * @return a fresh generator
     */
    public static SplittableRandom forEpoch(long seed, int epoch) {
        // A different constant from forSample so the shuffle is not correlated with sample -1.
        return new SplittableRandom(mix(mix(mix(seed) ^ epoch) ^ 0x3C6EF372FE94F82AL));
    }

    /**
     * Returns the random stream that chooses the images an image folder holds out.
     *
     * @param seed the run's seed
     * @return a fresh generator
     */
    public static SplittableRandom forHeldOut(long seed) {
        return new SplittableRandom(mix(mix(seed) ^ 0x6A09E667F3BCC908L));
    }

    /** The SplitMix64 finaliser (Stafford variant 13): a bijective, well-mixing 64-bit hash. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
