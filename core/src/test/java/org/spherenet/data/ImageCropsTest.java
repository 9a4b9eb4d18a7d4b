package org.spherenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The centre crop draws only the crop, with the pixels (up to 1 in 255) of resizing the whole image first. */
class ImageCropsTest {

    private static BufferedImage noise(int w, int h, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    /** The two-step form: resize the whole image, then copy out the centre. */
    private static BufferedImage twoStep(BufferedImage image, int resize, int size) {
        int w = image.getWidth();
        int h = image.getHeight();
        int newW = w <= h ? resize : (int) ((long) resize * w / h);
        int newH = w <= h ? (int) ((long) resize * h / w) : resize;
        BufferedImage resized = newW == w && newH == h ? image : ImageCrops.scale(image, 0, 0, w, h, newW, newH);
        return ImageCrops.scale(resized, (newW - size) / 2, (newH - size) / 2, size, size, size, size);
    }

    @ParameterizedTest(name = "{0} x {1} -> resize {2}, crop {3}")
    @CsvSource({"40,30,36,32", "30,40,36,32", "17,90,20,16", "100,7,9,8", "64,64,32,32", "32,32,32,28", "5,5,37,33"})
    void centreCropMatchesResizingTheWholeImageFirst(int w, int h, int resize, int size) {
        BufferedImage image = noise(w, h, w * 31L + h);
        BufferedImage expected = twoStep(image, resize, size);
        BufferedImage actual = ImageCrops.resizeCentreCrop(image, resize, size);
        int[] a = actual.getRGB(0, 0, size, size, null, 0, size);
        int[] e = expected.getRGB(0, 0, size, size, null, 0, size);
        // Java2D rounds a clipped drawing slightly differently: seen 13 of 768 values off by 1
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift < 24; shift += 8) {
                assertThat((a[i] >> shift) & 0xFF).as("pixel %d", i)
                        .isCloseTo((e[i] >> shift) & 0xFF, org.assertj.core.data.Offset.offset(1));
            }
        }
    }

    @Test
    void anExtremelyElongatedImageIsRefusedInsteadOfResizedToGigapixels() {
        BufferedImage line = new BufferedImage(20_000_000, 1, BufferedImage.TYPE_BYTE_GRAY);
        assertThatThrownBy(() -> ImageCrops.resizeCentreCrop(line, 256, 224))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too elongated");
        BufferedImage thin = new BufferedImage(1, 100_000, BufferedImage.TYPE_BYTE_GRAY);
        assertThat(ImageCrops.resizeCentreCrop(thin, 256, 224).getWidth()).isEqualTo(224);
    }
}
