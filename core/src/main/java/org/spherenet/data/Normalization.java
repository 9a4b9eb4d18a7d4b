package org.spherenet.data;

import java.util.Arrays;

/**
 * Maps a uint8 pixel to the float fed to the network, per channel.
 *
 * <ul>
 *   <li>{@link #authors()}: {@code (p - 127.5) / 128}, range [-0.996, 0.996]; the SphereNet
 *       authors' preprocessing and the default;
 *   <li>{@link #meanStd(float[], float[])}: {@code (p / 255 - mean[c]) / std[c]}, the torchvision
 *       convention (e.g. ImageNet mean 0.485, 0.456, 0.406, std 0.229, 0.224, 0.225);
 *   <li>{@link #unit()}: {@code p / 255}.
 * </ul>
 *
 * <p>Implemented as a 256-entry table per channel, so normalising a batch is one table look-up per
 * pixel.
 */
public final class Normalization {

    private final float[][] tables;
    private final String description;

    private Normalization(float[][] tables, String description) {
        this.tables = tables;
        this.description = description;
    }

    /**
     * Returns the authors' normalisation {@code (p - 127.5) / 128}, the same for every channel.
     *
     * @return the normalisation
     */
    public static Normalization authors() {
        float[] table = new float[256];
        for (int p = 0; p < 256; p++) {
            table[p] = (float) ((p - 127.5) / 128.0);
        }
        return new Normalization(new float[][] {table}, "(p - 127.5) / 128");
    }

    /**
     * Returns {@code p / 255}.
     *
     * @return the normalisation
     */
    public static Normalization unit() {
        return meanStd(new float[] {0f}, new float[] {1f});
    }

    /**
     * Returns the per-channel normalisation {@code (p / 255 - mean[c]) / std[c]}. A single value
     * applies to every channel.
     *
     * @param mean per-channel mean, in [0, 1] units
     * @param std per-channel standard deviation, in [0, 1] units, positive
     * @return the normalisation
     */
    public static Normalization meanStd(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException(
                    "mean and std need the same non-zero length, got "
                            + mean.length
                            + " and "
                            + std.length);
        }
        float[][] tables = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            if (!(std[c] > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + std[c]);
            }
            for (int p = 0; p < 256; p++) {
                tables[c][p] = (float) ((p / 255.0 - mean[c]) / std[c]);
            }
        }
        return new Normalization(
                tables,
                "(p / 255 - " + Arrays.toString(mean) + ") / " + Arrays.toString(std));
    }

    /**
     * Returns the normalised value of one pixel.
     *
     * @param channel the channel index
     * @param pixel the uint8 value 0..255
     * @return the float value
     */
    public float apply(int channel, int pixel) {
        return tables[channel % tables.length][pixel];
    }

    /**
     * Writes the normalised image into {@code dst} starting at {@code offset} (CHW order).
     *
     * @param image the uint8 image
     * @param dst the destination, at least {@code offset + image.size()} long
     * @param offset where the image starts in {@code dst}
     */
    public void write(ByteImage image, float[] dst, int offset) {
        if (tables.length > 1 && tables.length != image.channels()) {
            throw new IllegalArgumentException(
                    "normalisation has "
                            + tables.length
                            + " channels, image has "
                            + image.channels());
        }
        byte[] src = image.pixels();
        int plane = image.height() * image.width();
        int o = offset;
        for (int c = 0; c < image.channels(); c++) {
            float[] table = tables[c % tables.length];
            int end = (c + 1) * plane;
            for (int i = c * plane; i < end; i++) {
                dst[o++] = table[src[i] & 0xFF];
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
