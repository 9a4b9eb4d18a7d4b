package org.spherenet.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/** The resize-and-crop steps of {@link ImageFolderDataset}, on decoded images. */
final class ImageCrops {

    private static final double MIN_AREA = 0.08;
    private static final double MIN_LOG_RATIO = Math.log(3.0 / 4.0);
    private static final double MAX_LOG_RATIO = Math.log(4.0 / 3.0);

    private ImageCrops() {}

    /**
     * Resizes so the shorter side is {@code resize} (the longer side scaled and rounded down, as
     * torchvision does), then crops the centre {@code size x size} (offsets rounded down). Only the
     * crop is drawn: the same pixels (up to Java2D's rounding, 1 in 255), without the memory of the whole resized image (a 1 x 100,000
     * image would resize to 256 x 25,600,000).
     *
     * @throws IllegalArgumentException if the image is so elongated that the resized side would
     *     not fit in an int
     */
    static BufferedImage resizeCentreCrop(BufferedImage image, int resize, int size) {
        int w = image.getWidth();
        int h = image.getHeight();
        long newW = w <= h ? resize : (long) resize * w / h;
        long newH = w <= h ? (long) resize * h / w : resize;
        if (newW > Integer.MAX_VALUE / 2 || newH > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("image of " + w + " x " + h
                    + " pixels is too elongated to resize to a shorter side of " + resize);
        }
        int left = (int) (newW - size) / 2;
        int top = (int) (newH - size) / 2;
        if (newW == w && newH == h) {
            return scale(image, left, top, size, size, size, size);
        }
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, -left, -top, (int) newW - left, (int) newH - top, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Picks a random region of 8%..100% of the area with aspect ratio 3/4..4/3 (log-uniform), up to
     * 10 attempts, else the largest centred region with a clamped ratio; scales it to {@code size x
     * size}. Same rules as torchvision's {@code RandomResizedCrop}.
     */
    static BufferedImage randomResizedCrop(BufferedImage image, int size, SplittableRandom random) {
        int w = image.getWidth();
        int h = image.getHeight();
        double area = (double) w * h;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (MIN_AREA + (1 - MIN_AREA) * random.nextDouble());
            double logRatio =
                    MIN_LOG_RATIO + (MAX_LOG_RATIO - MIN_LOG_RATIO) * random.nextDouble();
            double ratio = Math.exp(logRatio);
            int cw = (int) Math.round(Math.sqrt(target * ratio));
            int ch = (int) Math.round(Math.sqrt(target / ratio));
            if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
                int y = random.nextInt(h - ch + 1);
                int x = random.nextInt(w - cw + 1);
                return scale(image, x, y, cw, ch, size, size);
            }
        }
        double ratio = (double) w / h;
        int cw = w;
        int ch = h;
        if (ratio < 3.0 / 4.0) {
            ch = (int) Math.round(w / (3.0 / 4.0));
        } else if (ratio > 4.0 / 3.0) {
            cw = (int) Math.round(h * (4.0 / 3.0));
        }
        return scale(image, (w - cw) / 2, (h - ch) / 2, cw, ch, size, size);
    }

    /** Scales the region (x, y, w, h) of {@code image} to outW x outH, bilinear, as RGB. */
    static BufferedImage scale(
            BufferedImage image, int x, int y, int w, int h, int outW, int outH) {
        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, outW, outH, x, y, x + w, y + h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Converts to a uint8 RGB image in CHW layout. */
    static ByteImage toChw(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        int plane = w * h;
        byte[] pixels = new byte[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            pixels[i] = (byte) (p >> 16);
            pixels[plane + i] = (byte) (p >> 8);
            pixels[2 * plane + i] = (byte) p;
        }
        return new ByteImage(pixels, 3, h, w);
    }
}
