package org.spherenet.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A summary holds numbers, or null where nothing was measured, never NaN or a string. */
class SummaryTest {

    private static TrainConfig tiny() {
        TrainConfig c = TrainingTest.smallConfig();
        c.width = 0.0625;
        c.iterations = 4;
        c.evalEvery = 2;
        c.checkpointEvery = 2;
        c.evalLimit = 100;
        return c;
    }

    @Test
    void aRunStoppedBeforeItsFirstEvaluationHasNullAccuracies(@TempDir Path dir) throws Exception {
        TrainConfig config = tiny();
        try (Training training = new Training(config, dir, RunListeners.standard(dir, config));
                RunFolder folder = RunFolder.create(dir, config)) {
            training.stop();
            Summary summary = training.run();
            assertThat(summary.finished()).isFalse();
            assertThat(summary.finalTestAccuracy()).isNaN();
            folder.writeSummary(summary);
        }
        String json = Files.readString(dir.resolve(RunFolder.SUMMARY));
        assertThat(json).contains("\"finalTestAccuracy\" : null", "\"bestTestAccuracy\" : null")
                .doesNotContain("NaN").doesNotContain("-1");
        assertThat(RunFolder.readSummary(dir).finalTestAccuracy()).isNaN();
    }

    @Test
    void aRunResumedAtItsFinalCheckpointTakesItsAccuracyFromTheLog(@TempDir Path dir) throws Exception {
        TrainConfig config = tiny();
        Summary first;
        try (Training training = new Training(config, dir, RunListeners.standard(dir, config));
                RunFolder folder = RunFolder.create(dir, config)) {
            first = training.run();
        }
        // killed after its last checkpoint, before summary.json was written
        try (Training training = new Training(config, dir, List.of());
                RunFolder folder = RunFolder.open(dir)) {
            assertThat(training.resume().iteration()).isEqualTo(4);
            Summary again = training.run();
            assertThat(again.finished()).isTrue();
            assertThat(again.finalTestAccuracy()).isEqualTo(first.finalTestAccuracy());
            assertThat(again.bestTestAccuracy()).isEqualTo(first.bestTestAccuracy());
            assertThat(again.bestIteration()).isEqualTo(first.bestIteration());
        }
    }
}
