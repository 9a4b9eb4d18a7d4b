package org.spherenet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numerical guard: a step with a NaN loss or gradient (injected as NaN images, which also
 * poison BatchNorm's running statistics in the forward pass) changes no parameter; the run skips
 * it and counts it, or stops naming the iteration with its last checkpoint intact.
 */
class NonFiniteStepTest {

    private static TrainConfig config() {
        TrainConfig c = TrainingTest.smallConfig();
        c.iterations = 8;
        c.evalEvery = 4;
        c.checkpointEvery = 2;
        c.evalLimit = 200;
        return c;
    }

    /** Every parameter, trained or not (BatchNorm's running statistics too), as numbers. */
    private static List<float[]> parameters(Training training) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : training.getNetwork().getParameters()) {
            values.add(p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    @Test
    void poisonedStepsAreSkippedWithoutChangingAnyParameterAndCounted(@TempDir Path dir) throws Exception {
        AtomicReference<Training> running = new AtomicReference<>();
        Map<Long, List<float[]>> after = new HashMap<>();
        Map<Long, Double> losses = new HashMap<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onStep(long iteration, double loss, double accuracy, double rate) {
                after.put(iteration, parameters(running.get()));
                losses.put(iteration, loss);
            }
        };
        MetricsLog log = new MetricsLog(dir);
        Summary summary;
        try (Training training = new Training(config(), dir, List.of(log, recorder))) {
            running.set(training);
            training.injectNonFinite(i -> i == 2 || i == 5); // the 3rd and the 6th step
            summary = training.run();
        }
        assertThat(summary.finished()).isTrue();
        assertThat(summary.skippedSteps()).isEqualTo(2);
        assertThat(log.rows()).extracting(Metrics::skippedSteps).containsExactly(1L, 2L);
        assertThat(log.rows()).allSatisfy(m -> assertThat(m.fitLoss()).isFinite());
        assertThat(losses.get(3L)).isNaN();
        assertThat(losses.get(6L)).isNaN();
        assertThat(losses.get(4L)).isFinite();

        assertSameParameters(after.get(3L), after.get(2L));
        assertSameParameters(after.get(6L), after.get(5L));
        assertThat(after.get(4L).get(0)).as("an ordinary step changes the weights")
                .isNotEqualTo(after.get(3L).get(0));
        for (float[] values : after.get(8L)) {
            for (float v : values) {
                assertThat(v).isFinite();
            }
        }
    }

    private static void assertSameParameters(List<float[]> actual, List<float[]> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("parameter %d", i).containsExactly(expected.get(i));
        }
    }

    @Test
    void withStopTheRunEndsNamingTheIterationAndItsLastCheckpointStaysIntact(@TempDir Path dir)
            throws Exception {
        TrainConfig config = config();
        config.onNonFinite = "stop";
        Path checkpoint = dir.resolve(RunCheckpoints.LATEST);
        Map<Long, byte[]> written = new HashMap<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onCheckpoint(long iteration) {
                try {
                    written.put(iteration, Files.readAllBytes(checkpoint));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        try (Training training = new Training(config, dir, List.of(recorder))) {
            training.injectNonFinite(i -> i == 5);
            assertThatThrownBy(training::run)
                    .isInstanceOf(NonFiniteStepException.class)
                    .hasMessage("stopped at iteration 6: the loss is not finite (NaN or infinity);"
                            + " the weights were not updated and the last checkpoint, " + checkpoint
                            + " (iteration 4), is intact");
        }
        assertThat(written.keySet()).containsExactlyInAnyOrder(2L, 4L);
        assertThat(Files.readAllBytes(checkpoint)).isEqualTo(written.get(4L));
        try (Training again = new Training(config, dir, List.of())) {
            assertThat(again.resume().iteration()).isEqualTo(4);
        }
    }

    @Test
    void nonFiniteGradientsAreDetectedAndResetToZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(manager.create(new float[] {1, 2, 3}));
            p.getArray().setRequiresGradient(true);
            List<TrainableParameter> params = List.of(new TrainableParameter("w", p, 0));
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray weights = manager.create(new float[] {1, bad, 0});
                    collector.backward(p.getArray().mul(weights).sum());
                }
                assertThat(Gradients.allFinite(params)).as("gradient with %s", bad).isFalse();
                Gradients.reset(p.getArray());
                assertThat(Gradients.allFinite(params)).isTrue();
                assertThat(p.getArray().getGradient().toFloatArray()).containsExactly(0, 0, 0);
            }
        }
    }
}
