package org.spherenet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.training.dataset.Dataset.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spherenet.data.Datasets;
import org.spherenet.data.ImageDataset;

/** End-to-end training on a slice of the real Fashion-MNIST (Debian's dataset-fashion-mnist). */
class TrainingTest {

    static TrainConfig smallConfig() {
        TrainConfig c = new TrainConfig();
        c.width = 0.125;
        c.dataFraction = 0.05; // 3,000 training images
        c.batchSize = 64;
        c.iterations = 120;
        c.evalEvery = 60;
        c.checkpointEvery = 60;
        c.evalLimit = 2000;
        return c;
    }

    @Test
    void shortRunBeatsChanceByAWideMarginAndItsCheckpointEvaluatesTheSame(@TempDir Path dir)
            throws Exception {
        TrainConfig config = smallConfig();
        config.evalLimit = 0;
        MetricsLog log = new MetricsLog(dir);
        Summary summary;
        try (Training training = new Training(config, dir, List.of(log));
                RunFolder folder = RunFolder.create(dir, config)) {
            summary = training.run();
        }
        assertThat(summary.finished()).isTrue();
        assertThat(summary.iterations()).isEqualTo(120);
        assertThat(summary.finalTestAccuracy()).as("10 classes: chance is 10%").isGreaterThan(0.6);
        assertThat(log.rows()).extracting(Metrics::iteration).containsExactly(60L, 120L);
        assertThat(MetricsLog.read(dir)).isEqualTo(log.rows());
        assertThat(Files.readAllLines(dir.resolve(MetricsLog.CSV))).hasSize(3);

        try (TrainedModel model = TrainedModel.load(dir)) {
            ImageDataset test = Datasets.open("fashion-mnist", Usage.TEST, null, null, 1, 0.1, 1, 256);
            Evaluation evaluation = Evaluation.of(model::logits, test, 0);
            assertThat(evaluation.accuracy()).isEqualTo(summary.finalTestAccuracy());
            long total = 0;
            for (long[] row : evaluation.confusion()) {
                for (long n : row) {
                    total += n;
                }
            }
            assertThat(total).isEqualTo(10_000);
        }
    }

    @Test
    void aCheckpointOfAnotherNetworkIsRefusedNamingBoth(@TempDir Path dir) throws Exception {
        TrainConfig config = smallConfig();
        config.iterations = 1;
        try (Training training = new Training(config, dir, List.of())) {
            training.run();
        }
        config.model = "cnn9";
        try (Training other = new Training(config, dir, List.of())) {
            assertThatThrownBy(other::resume)
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("checkpoint.bin")
                    .hasMessageContaining("operator=linear")
                    .hasMessageContaining("operator=conv");
        }
    }

    @Test
    void invalidSettingsAreRefusedBeforeAnyWork() {
        String[][] cases = {
            {"width", "0"}, {"batchSize", "0"}, {"learningRate", "-1"}, {"operator", "tanh"},
            {"classifier", "ga-softmax:linear:0.5"}, {"operator", "sigmoid(0)"}, {"model", "vgg"},
            {"dataType", "float16"},
        };
        for (String[] c : cases) {
            TrainConfig config = new TrainConfig();
            switch (c[0]) {
                case "width": config.width = Double.parseDouble(c[1]); break;
                case "batchSize": config.batchSize = Integer.parseInt(c[1]); break;
                case "learningRate": config.learningRate = Double.parseDouble(c[1]); break;
                case "operator": config.operator = c[1]; break;
                case "classifier": config.classifier = c[1]; break;
                case "dataType": config.dataType = c[1]; break;
                default: config.model = c[1];
            }
            assertThatThrownBy(config::validate).as(c[0]).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * A float64 run keeps everything in float64, also through a checkpoint: stopped after two steps
     * and resumed, it ends bit for bit where an uninterrupted run ends (a checkpoint that stored
     * float32, as before the data-type option, would not).
     */
    @Test
    void aFloat64RunTrainsInFloat64AndResumesBitForBit(@TempDir Path dir) throws Exception {
        TrainConfig config = smallConfig();
        config.dataType = "float64";
        config.width = 0.0625;
        config.dataFraction = 0.01;
        config.batchSize = 16;
        config.iterations = 4;
        config.evalEvery = 4;
        config.evalLimit = 16;
        List<double[]> uninterrupted;
        java.nio.file.Files.createDirectories(dir.resolve("a"));
        try (Training training = new Training(config, dir.resolve("a"), List.of())) {
            training.run();
            uninterrupted = values(training);
            assertThat(training.getNetwork().getParameters().values())
                    .allMatch(p -> p.getArray().getDataType() == ai.djl.ndarray.types.DataType.FLOAT64);
        }
        Path b = dir.resolve("b");
        java.nio.file.Files.createDirectories(b);
        java.util.concurrent.atomic.AtomicReference<Training> running = new java.util.concurrent.atomic.AtomicReference<>();
        TrainingListener stopAfterTwo = new TrainingListener() {
            @Override
            public void onStep(long iteration, double loss, double accuracy, double rate) {
                if (iteration == 2) {
                    running.get().stop();
                }
            }
        };
        try (Training stopped = new Training(config, b, List.of(stopAfterTwo))) {
            running.set(stopped);
            assertThat(stopped.run().iterations()).isEqualTo(2);
        }
        try (Training resumed = new Training(config, b, List.of())) {
            resumed.resume();
            resumed.run();
            List<double[]> after = values(resumed);
            for (int i = 0; i < after.size(); i++) {
                assertThat(after.get(i)).as("parameter " + i).isEqualTo(uninterrupted.get(i));
            }
        }
    }

    private static List<double[]> values(Training training) {
        List<double[]> values = new java.util.ArrayList<>();
        training.getNetwork().getParameters().values().forEach(p -> values.add(p.getArray().toDoubleArray()));
        return values;
    }
}
