package org.spherenet.cli;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spherenet.data.DataException;
import org.spherenet.data.ImageDecoder;
import org.spherenet.data.Normalization;

/**
 * Reads an image file as the network's input: resized to its size, grey or RGB, normalised the
 * authors' way, {@code (pixel - 127.5) / 128}, in CHW order.
 */
final class ImageInput {

    private ImageInput() {}

    static float[] read(Path file, int channels, int height, int width) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file, "no such image file");
        }
        BufferedImage image = ImageDecoder.decode(file, ImageDecoder.DEFAULT_MAX_PIXELS);
        BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        Normalization normalization = Normalization.authors(); // as the training data
        float[] out = new float[channels * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = resized.getRGB(x, y);
                int[] c = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int ch = 0; ch < channels; ch++) {
                    int value = channels == 1 ? (int) Math.round(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) : c[ch];
                    out[(ch * height + y) * width + x] = normalization.apply(ch, value);
                }
            }
        }
        return out;
    }
}
