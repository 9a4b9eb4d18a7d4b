package org.spherenet.data;

import java.util.SplittableRandom;

/**
 * A random transformation of one uint8 CHW image, applied to training samples before
 * normalisation.
 *
 * <p>All randomness must come from {@code random}; the dataset seeds it from (seed, epoch, sample
 * index) via {@link Seeds#forSample}, which makes augmentation reproducible and independent of the
 * order in which threads prepare samples.
 *
 * @see Augmentations
 */
@FunctionalInterface
public interface Augmentation {

    /**
     * Transforms one image.
     *
     * @param image the input, C x H x W; it is a private copy and may be modified in place
     * @param random the sample's random stream
     * @return the output image (may be {@code image} itself); its shape may differ from the input's
     */
    ByteImage apply(ByteImage image, SplittableRandom random);
}
