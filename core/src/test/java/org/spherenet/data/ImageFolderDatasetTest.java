package org.spherenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset.Usage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

    @TempDir Path root;

    private static void image(Path file, int w, int h, IntBinaryOperator rgb) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb.applyAsInt(x, y));
            }
        }
        Files.createDirectories(file.getParent());
        String format = file.toString().endsWith(".png") ? "png" : "jpg";
        assertThat(ImageIO.write(image, format, file.toFile())).isTrue();
    }

    private static int rgb(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }

    private ImageFolderDataset build(Usage usage, int size, int resize, boolean skip)
            throws IOException {
        ImageFolderDataset dataset =
                ImageFolderDataset.builder()
                        .setRoot(root)
                        .optUsage(usage)
                        .optImageSize(size)
                        .optResize(resize)
                        .optSkipUnreadable(skip)
                        .optAllImages(true) // every image, to test reading them
                        .setSampling(2, false)
                        .build();
        dataset.prepare();
        return dataset;
    }

    @Test
    void classesAreTheSortedFolderNamesAndFilesAreSorted() throws IOException {
        image(root.resolve("dog/z.png"), 8, 8, (x, y) -> rgb(2, 2, 2));
        image(root.resolve("cat/b.png"), 8, 8, (x, y) -> rgb(1, 1, 1));
        image(root.resolve("cat/a.jpg"), 8, 8, (x, y) -> rgb(0, 0, 0));
        image(root.resolve("ant/only.png"), 8, 8, (x, y) -> rgb(0, 0, 0));
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");
        Files.createDirectories(root.resolve(".cache"));
        ImageFolderDataset dataset = build(Usage.TEST, 8, 8, false);
        assertThat(dataset.getClassNames()).containsExactly("ant", "cat", "dog");
        assertThat(dataset.getFiles())
                .extracting(p -> root.relativize(p).toString())
                .containsExactly("ant/only.png", "cat/a.jpg", "cat/b.png", "dog/z.png");
        assertThat(dataset.size()).isEqualTo(4);
        assertThat(new int[] {dataset.label(0), dataset.label(1), dataset.label(2), dataset.label(3)})
                .containsExactly(0, 1, 1, 2);
    }

    @Test
    void evaluationCropsTheCentreAfterResizingTheShorterSide() throws IOException {
        // 30 wide, 20 high: red encodes the column, green the row
        image(root.resolve("a/x.png"), 30, 20, (x, y) -> rgb(x * 8, y * 10, 7));
        ImageFolderDataset dataset = build(Usage.TEST, 20, 20, false);
        ByteImage sample = dataset.sample(0, 0);
        assertThat(sample.channels()).isEqualTo(3);
        assertThat(sample.height()).isEqualTo(20);
        assertThat(sample.width()).isEqualTo(20);
        assertThat(sample.get(0, 0, 0)).isEqualTo(5 * 8); // column 5 is the crop's first
        assertThat(sample.get(0, 4, 19)).isEqualTo(24 * 8);
        assertThat(sample.get(1, 3, 0)).isEqualTo(30); // rows are not cropped
        assertThat(sample.get(2, 10, 10)).isEqualTo(7);
    }

    @Test
    void evaluationResizeScalesBeforeCropping() throws IOException {
        // 40 x 20, left half black, right half white; shorter side 20 -> 10: 20 x 10, centre 10 x 10
        image(root.resolve("a/x.png"), 40, 20, (x, y) -> x < 20 ? 0 : rgb(255, 255, 255));
        ImageFolderDataset dataset = build(Usage.TEST, 10, 10, false);
        ByteImage sample = dataset.sample(0, 0);
        assertThat(sample.width()).isEqualTo(10);
        assertThat(sample.get(0, 5, 0)).isLessThan(10);
        assertThat(sample.get(1, 5, 3)).isLessThan(10);
        assertThat(sample.get(0, 5, 6)).isGreaterThan(245);
        assertThat(sample.get(2, 5, 9)).isGreaterThan(245);
    }

    @Test
    void trainingTakesDeterministicRandomResizedCrops() throws IOException {
        image(root.resolve("a/x.png"), 64, 48, (x, y) -> rgb(x * 4, y * 5, (x * y) & 0xFF));
        ImageFolderDataset dataset = build(Usage.TRAIN, 16, 0, false);
        ByteImage a = dataset.sample(0, 0);
        assertThat(a.height()).isEqualTo(16);
        assertThat(a.width()).isEqualTo(16);
        assertThat(dataset.sample(0, 0).pixels()).containsExactly(a.pixels());
        boolean differs = false;
        for (int epoch = 1; epoch < 4; epoch++) {
            differs |= !java.util.Arrays.equals(dataset.sample(0, epoch).pixels(), a.pixels());
        }
        assertThat(differs).isTrue();
    }

    @Test
    void jpegAndGreyPngDecodeToRgb() throws IOException {
        image(root.resolve("a/colour.jpg"), 16, 16, (x, y) -> rgb(100, 150, 200));
        BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(3, 4, 0, 77);
        Files.createDirectories(root.resolve("b"));
        ImageIO.write(grey, "png", root.resolve("b/grey.png").toFile());
        ImageFolderDataset dataset = build(Usage.TEST, 16, 16, false);
        ByteImage colour = dataset.sample(0, 0);
        assertThat(colour.get(0, 8, 8)).isBetween(97, 103);
        assertThat(colour.get(1, 8, 8)).isBetween(147, 153);
        assertThat(colour.get(2, 8, 8)).isBetween(197, 203);
        ByteImage g = dataset.sample(1, 0);
        for (int c = 0; c < 3; c++) {
            assertThat(g.get(c, 4, 3)).isEqualTo(77);
            assertThat(g.get(c, 0, 0)).isZero();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray data = dataset.get(manager, 1).getData().singletonOrThrow();
            assertThat(data.getShape()).isEqualTo(new Shape(3, 16, 16));
            assertThat(dataset.get(manager, 1).getLabels().singletonOrThrow().getFloat()).isEqualTo(1f);
        }
    }

    @Test
    void unreadableImageFailsByDefault() throws IOException {
        image(root.resolve("a/good.png"), 8, 8, (x, y) -> 0);
        Files.write(root.resolve("a/bad.png"), new byte[] {1, 2, 3, 4, 5});
        ImageFolderDataset dataset = build(Usage.TEST, 8, 8, false);
        assertThatThrownBy(() -> dataset.sample(0, 0)) // bad.png sorts first
                .isInstanceOf(DataException.class)
                .hasMessageEndingWith("bad.png: unreadable image (not an image or corrupt)");
    }

    @Test
    void unreadableImageIsReplacedByTheNextOfItsClassWhenSkipping() throws IOException {
        Files.createDirectories(root.resolve("a"));
        Files.write(root.resolve("a/a-bad.png"), new byte[] {1, 2, 3});
        image(root.resolve("a/b-good.png"), 8, 8, (x, y) -> rgb(9, 9, 9));
        image(root.resolve("b/c.png"), 8, 8, (x, y) -> rgb(200, 200, 200));
        Files.write(root.resolve("b/d-bad.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 0});
        ImageFolderDataset dataset = build(Usage.TEST, 8, 8, true);
        assertThat(dataset.sample(0, 0).get(0, 0, 0)).isEqualTo(9);
        assertThat(dataset.label(0)).isZero();
        // the last file of class b wraps around to the class's first
        assertThat(dataset.sample(3, 0).get(0, 0, 0)).isEqualTo(200);
        assertThat(dataset.label(3)).isEqualTo(1);
    }

    @Test
    void emptyClassFolderIsAnError() throws IOException {
        image(root.resolve("a/x.png"), 8, 8, (x, y) -> 0);
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/readme.txt"), "no images");
        assertThatThrownBy(() -> build(Usage.TEST, 8, 8, false))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(root.resolve("b") + ": empty class folder");
    }

    @Test
    void missingRootIsAnError() {
        root = root.resolve("absent");
        assertThatThrownBy(() -> build(Usage.TEST, 8, 8, false))
                .isInstanceOf(DataException.class)
                .hasMessage(root + ": missing folder");
    }
}
