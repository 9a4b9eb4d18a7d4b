package org.spherenet.data;

import java.util.SplittableRandom;

/**
 * Pads the image by {@code pad} pixels on every side, then crops a random {@code size x size}
 * window: output (c, y, x) = padded (c, y + dy, x + dx) with dy, dx uniform in {@code [0, H + 2 pad
 * - size]} and {@code [0, W + 2 pad - size]}. The CIFAR-10+ protocol is pad 4, size 32, {@link
 * PaddingMode#REFLECT}.
 *
 * <p>Draws exactly two ints from the random stream (dy, then dx).
 */
public final class PadCrop implements Augmentation {

    private final int pad;
    private final int size;
    private final PaddingMode mode;

    /**
     * Creates the pad-and-crop.
     *
     * @param pad border added on each side, {@code >= 0}
     * @param size side of the square output, {@code > 0}
     * @param mode how the border is filled
     */
    public PadCrop(int pad, int size, PaddingMode mode) {
        if (pad < 0 || size <= 0) {
            throw new IllegalArgumentException(
                    "need pad >= 0 and size > 0, got " + pad + ", " + size);
        }
        this.pad = pad;
        this.size = size;
        this.mode = mode;
    }

    @Override
    public ByteImage apply(ByteImage image, SplittableRandom random) {
        int h = image.height();
        int w = image.width();
        if (h + 2 * pad < size || w + 2 * pad < size) {
            throw new IllegalArgumentException(
                    String.format(
                            "cannot crop %dx%d from %dx%d padded by %d", size, size, h, w, pad));
        }
        int dy = random.nextInt(h + 2 * pad - size + 1) - pad;
        int dx = random.nextInt(w + 2 * pad - size + 1) - pad;
        byte[] src = image.pixels();
        byte[] out = new byte[image.channels() * size * size];
        int[] cols = new int[size];
        for (int x = 0; x < size; x++) {
            cols[x] = mode.source(x + dx, w);
        }
        int o = 0;
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < size; y++) {
                int sy = mode.source(y + dy, h);
                if (sy < 0) {
                    o += size; // zero row: the array starts zeroed
                    continue;
                }
                int rowStart = (c * h + sy) * w;
                for (int x = 0; x < size; x++) {
                    out[o++] = cols[x] < 0 ? 0 : src[rowStart + cols[x]];
                }
            }
        }
        return new ByteImage(out, image.channels(), size, size);
    }

    @Override
    public String toString() {
        return "PadCrop(" + pad + ", " + size + ", " + mode + ")";
    }
}
