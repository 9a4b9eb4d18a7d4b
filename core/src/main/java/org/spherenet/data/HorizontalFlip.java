package org.spherenet.data;

import java.util.SplittableRandom;

/**
 * Mirrors the image left-right with probability {@code p}: output (c, y, x) = input (c, y, W-1-x).
 *
 * <p>Draws exactly one double from the random stream.
 */
public final class HorizontalFlip implements Augmentation {

    private final double probability;

    /**
     * Creates the flip.
     *
     * @param probability chance of flipping, in [0, 1]
     */
    public HorizontalFlip(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
        }
        this.probability = probability;
    }

    @Override
    public ByteImage apply(ByteImage image, SplittableRandom random) {
        if (random.nextDouble() >= probability) {
            return image;
        }
        byte[] p = image.pixels();
        int width = image.width();
        int rows = image.channels() * image.height();
        for (int row = 0; row < rows; row++) {
            for (int left = row * width, right = left + width - 1; left < right; left++, right--) {
                byte t = p[left];
                p[left] = p[right];
                p[right] = t;
            }
        }
        return image;
    }

    @Override
    public String toString() {
        return "HorizontalFlip(" + probability + ")";
    }
}
