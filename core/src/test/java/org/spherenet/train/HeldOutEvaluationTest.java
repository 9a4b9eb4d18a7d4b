package org.spherenet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset.Usage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spherenet.data.DataException;
import org.spherenet.data.Datasets;
import org.spherenet.data.ImageDataset;
import org.spherenet.data.ImageFolderDataset;

/** A run on an image folder is evaluated on the held-out images only, the same ones when resumed. */
class HeldOutEvaluationTest {

    @TempDir Path tmp;

    /** Two classes of 15 PNGs: 3 of each held out at --val-fraction 0.2. */
    private Path folder() throws IOException {
        Path root = tmp.resolve("images");
        for (String name : List.of("a", "b")) {
            Files.createDirectories(root.resolve(name));
            for (int i = 0; i < 15; i++) {
                BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                image.setRGB(1, 1, i * 4099);
                ImageIO.write(image, "png", root.resolve(name).resolve("img" + i + ".png").toFile());
            }
        }
        return root;
    }

    private static TrainConfig config(Path data) {
        TrainConfig c = new TrainConfig();
        c.dataset = "image-folder";
        c.dataDir = data.toString();
        c.valFraction = 0.2;
        c.width = 0.0625;
        c.batchSize = 4;
        c.iterations = 2;
        return c;
    }

    private static List<Path> files(ImageDataset dataset) {
        return ((ImageFolderDataset) dataset).getFiles();
    }

    @Test
    void theRunIsEvaluatedOnTheHeldOutImagesOnly() throws IOException {
        Path data = folder();
        try (Training training = new Training(config(data), tmp.resolve("run"), List.of())) {
            List<Path> trained = files(training.trainSet());
            List<Path> evaluated = files(training.testSet());
            assertThat(evaluated).hasSize(6).doesNotContainAnyElementsOf(trained);
            assertThat(trained).hasSize(24);
            // what Evaluation counts (test accuracy, eval) is exactly the held-out part
            AtomicLong scored = new AtomicLong();
            Evaluation all = Evaluation.of(images -> scores(images, scored), training.testSet(), 0);
            assertThat(total(all)).isEqualTo(6).isEqualTo(scored.get());
            assertThat(total(Evaluation.of(images -> scores(images, new AtomicLong()), training.testSet(), 5)))
                    .as("--eval-limit 5 counts 5 images, not the whole batch").isEqualTo(5);
        }
        ImageDataset test = Datasets.open("image-folder", Usage.TEST, data, null, 1, 0.2, 1, 256);
        assertThat(test.size()).isEqualTo(6);
    }

    /** Every image scores class 0; counts the images scored. */
    private static NDArray scores(NDArray images, AtomicLong scored) {
        long batch = images.getShape().get(0);
        scored.addAndGet(batch);
        return images.getManager().zeros(new Shape(batch, 2));
    }

    private static long total(Evaluation evaluation) {
        long total = 0;
        for (long[] row : evaluation.confusion()) {
            for (long n : row) {
                total += n;
            }
        }
        return total;
    }

    @Test
    void aResumedRunSplitsTheSameWayAndRefusesAFolderThatChanged() throws IOException {
        Path data = folder();
        Path dir = tmp.resolve("run");
        TrainConfig config = config(data);
        List<Path> heldOut;
        try (Training training = new Training(config, dir, List.of())) {
            heldOut = files(training.testSet());
            config.heldOut = training.heldOut(); // as 'spherenet train' records it
            RunFolder.create(dir, config).close();
        }
        TrainConfig stored = RunFolder.readConfig(dir);
        assertThat(stored.valFraction).isEqualTo(0.2);
        assertThat(stored.heldOut).startsWith("0.2 of each class held out by seed 1 (6 images, sha256 ");
        try (Training resumed = new Training(stored, dir, List.of())) {
            assertThat(files(resumed.testSet())).isEqualTo(heldOut);
        }
        TrainConfig otherShare = RunFolder.readConfig(dir);
        otherShare.valFraction = 0.3;
        assertThatThrownBy(() -> new Training(otherShare, dir, List.of()).close())
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(data + ": the held-out images are not those this run was evaluated on");
        Files.delete(heldOut.get(0));
        assertThatThrownBy(() -> new Training(stored, dir, List.of()).close())
                .isInstanceOf(DataException.class)
                .hasMessageContaining("the folder changed since the run started")
                .hasMessageNotContaining("\n");
    }
}
