package org.spherenet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spherenet.cli.CliTest.assertUserError;
import static org.spherenet.cli.CliTest.run;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spherenet.train.RunFolder;
import org.spherenet.train.TrainConfig;

/** 'train --dataset image-folder' on a user's own images: evaluated on images it never trained on. */
class ImageFolderCliTest {

    @TempDir Path tmp;

    private static void images(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            image.setRGB(2, 3, i * 7919);
            ImageIO.write(image, "png", dir.resolve("img" + i + ".png").toFile());
        }
    }

    private String[] train(Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--runs", tmp.resolve("runs").toString(),
                "--name", "r", "--dataset", "image-folder", "--data", data.toString(), "--width", "0.0625",
                "--batch-size", "4", "--iterations", "2", "--eval-every", "2", "--checkpoint-every", "2"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aBadValidationFractionOrLayoutIsOneLineAndWritesNothing() throws IOException {
        Path flat = tmp.resolve("flat");
        images(flat.resolve("a"), 4);
        images(flat.resolve("b"), 4);
        for (String bad : List.of("0", "1", "-0.5", "NaN")) {
            assertUserError(run(train(flat, "--val-fraction", bad)),
                    "validation fraction must be in (0, 1), got " + Double.parseDouble(bad));
        }
        Path loose = tmp.resolve("loose"); // images directly in the folder
        images(loose, 4);
        assertUserError(run(train(loose)), loose + ": no class sub-folders (expected train/<class>/<images> with"
                + " val/<class>/<images> or test/<class>/<images>, or <class>/<images>)");
        Path disagreeing = tmp.resolve("disagreeing");
        images(disagreeing.resolve("train/a"), 4);
        images(disagreeing.resolve("train/b"), 4);
        images(disagreeing.resolve("val/a"), 1);
        assertUserError(run(train(disagreeing)), disagreeing.resolve("val")
                + ": its class folders differ from those of train/ (missing here: b; not in train/: none)");
        assertThat(tmp.resolve("runs")).doesNotExist();
    }

    @Test
    void evalMeasuresTheHeldOutImagesAndAChangedFolderIsRefused() throws IOException {
        Path data = tmp.resolve("images");
        images(data.resolve("a"), 15);
        images(data.resolve("b"), 15);
        Object[] trained = run(train(data, "--val-fraction", "0.2", "--schedule", "constant"));
        assertThat(trained[0]).as((String) trained[2]).isEqualTo(0);
        Path run = tmp.resolve("runs/r");
        TrainConfig config = RunFolder.readConfig(run);
        assertThat(config.valFraction).isEqualTo(0.2);
        assertThat(config.heldOut).startsWith("0.2 of each class held out by seed 1 (6 images, sha256 ");

        Object[] eval = run("eval", run.toString());
        assertThat(eval[0]).as((String) eval[2]).isEqualTo(0);
        long evaluated = ((String) eval[1]).lines()
                .filter(line -> line.startsWith("a ") || line.startsWith("b "))
                .flatMap(line -> Arrays.stream(line.split("%", 2)[1].trim().split("\\s+")))
                .mapToLong(Long::parseLong).sum();
        assertThat(evaluated).as("the confusion matrix counts the 6 held-out images").isEqualTo(6);

        images(data.resolve("a"), 16); // one more image of a: seed 1 now holds out other images of a
        assertUserError(run("eval", run.toString()), "the held-out images are not those this run was evaluated on");
        // a finished run resumed is left alone; extending it reads the data, and the change is refused
        assertThat(run("train", "--resume", run.toString())[0]).isEqualTo(0);
        assertUserError(run("train", "--resume", run.toString(), "--iterations", "4"),
                "the folder changed since the run started");
    }
}
