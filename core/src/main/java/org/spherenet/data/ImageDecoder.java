package org.spherenet.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an image file (PNG, JPEG, BMP, GIF, recognised by its content) with {@code
 * javax.imageio}, and fails only with a {@link DataException}. The size in the header is checked
 * before the pixels are decoded: a damaged header claiming 60,000 x 60,000 pixels would otherwise
 * make the decoder reserve 14 GB.
 */
public final class ImageDecoder {

    /** The most pixels accepted by default: 128 M (512 MB decoded), far above any photo's. */
    public static final long DEFAULT_MAX_PIXELS = 1L << 27;

    /** The reason given for a file no decoder accepts or that fails to decode. */
    static final String UNREADABLE = "unreadable image (not an image or corrupt)";

    private ImageDecoder() {}

    /**
     * Decodes the first image of a file.
     *
     * @param file the image file
     * @param maxPixels the most pixels (width x height) accepted
     * @return the image
     * @throws DataException if the file is not an image, is corrupt, or is larger than {@code
     *     maxPixels}
     */
    public static BufferedImage decode(Path file, long maxPixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DataException(file, UNREADABLE);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new DataException(file, String.format(
                            "image of %d x %d pixels, more than the %d accepted", width, height, maxPixels));
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new DataException(file, UNREADABLE);
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // the JDK's decoders signal corrupt data with IIOException, but also with
            // IllegalArgumentException, IndexOutOfBoundsException and the like
            throw new DataException(file, UNREADABLE, e);
        }
    }
}
