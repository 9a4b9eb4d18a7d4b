package org.spherenet.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.dataset.Batch;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spherenet.train.TrainingStep;

/**
 * Data-parallel steps on Spark (local[2], retries on) against one replica with the whole batch, in
 * float64 on a network without BatchNorm.
 */
class DataParallelTest {

    static final int BATCH = 8;
    static final int STEPS = 20;
    static final double RATE = 0.05;

    static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        spark = Spark.start("local[2]", "DataParallelTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
        Replicas.closeAll();
    }

    /** One replica, the whole batch of each step, the ordinary local step. */
    static double[][] local(String optimizer) {
        try (Float64Replica replica = new Float64Replica(optimizer, BATCH, 1)) {
            for (long i = 0; i < STEPS; i++) {
                try (NDManager m = replica.manager().newSubManager();
                        Batch batch = replica.batchRows(m, i, 0, BATCH)) {
                    TrainingStep.Result r = replica.stepAt(i).run(replica.store(), batch.getData().head(),
                            batch.getLabels(), RATE);
                    assertThat(r.skipped()).isFalse();
                }
            }
            return weights(replica);
        }
    }

    /** N replicas on Spark; the driver's copy holds the model. */
    static double[][] distributed(String optimizer, int workers, int averageEvery, long failOnceAt) {
        try (Float64Replica driver = new Float64Replica(optimizer, BATCH, 1)) {
            DataParallel dp = new DataParallel(spark, Float64Replica.factory(optimizer, BATCH, 1), driver.stepAt(0),
                    workers, averageEvery, BATCH, STEPS, i -> RATE);
            dp.failOnceAt(failOnceAt);
            for (long i = 0; i < STEPS; i++) {
                TrainingStep.Result r = dp.run(i, RATE, params -> {});
                assertThat(r.skipped()).isFalse();
            }
            return weights(driver);
        }
    }

    static double[][] weights(Float64Replica replica) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> arrays = replica.stepAt(0).parameters().stream().map(p -> p.array()).toList();
            return Tensors.read(arrays);
        }
    }

    static double maxRelativeDifference(double[][] a, double[][] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double scale = Math.max(1e-3, Math.max(Math.abs(a[i][j]), Math.abs(b[i][j])));
                worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]) / scale);
            }
        }
        return worst;
    }

    @Test
    void twoReplicasWithHalfBatchesGiveTheWeightsOfOneWithTheWholeBatch() {
        double[][] one = local("sgd");
        double[][] two = distributed("sgd", 2, 0, -1);
        assertThat(maxRelativeDifference(one, two)).isLessThan(1e-9);
        // the training did move the weights (the comparison is not of two untouched copies)
        assertThat(maxRelativeDifference(one, distributedInitial())).isGreaterThan(1e-3);
    }

    @Test
    void unevenShardsAreWeightedBySampleCount() {
        // 8 rows over 3 replicas: 2, 3, 3 rows
        assertThat(maxRelativeDifference(local("adam"), distributed("adam", 3, 0, -1))).isLessThan(1e-9);
    }

    @Test
    void aTaskKilledMidStepIsRetriedAndTheWeightsAreThoseOfAnUndisturbedRun() {
        double[][] undisturbed = distributed("sgd", 2, 0, -1);
        double[][] disturbed = distributed("sgd", 2, 0, 7);
        assertThat(disturbed).isDeepEqualTo(undisturbed);
    }

    @Test
    void parameterAveragingSurvivesAKilledTaskToo() {
        double[][] undisturbed = distributed("adam", 2, 5, -1);
        double[][] disturbed = distributed("adam", 2, 5, 12);
        assertThat(disturbed).isDeepEqualTo(undisturbed);
    }

    @Test
    void parameterAveragingEveryStepWithPlainSgdIsGradientAveraging() {
        // SGD with momentum is linear in the gradient: one local step each from the same weights
        // and velocities, then the averages, is one step with the averaged gradient
        assertThat(maxRelativeDifference(distributed("sgd", 2, 1, -1), local("sgd"))).isLessThan(1e-9);
    }

    @Test
    void aStepWithANonFiniteLossOnOneReplicaChangesNothing() {
        try (Float64Replica driver = new Float64Replica("adam", BATCH, 1)) {
            DataParallel dp = new DataParallel(spark, Float64Replica.factory("adam", BATCH, 1, 3), driver.stepAt(0),
                    2, 0, BATCH, STEPS, i -> RATE);
            for (long i = 0; i < 3; i++) {
                assertThat(dp.run(i, RATE, params -> {}).skipped()).isFalse();
            }
            double[][] before = weights(driver);
            TrainingStep.Result poisoned = dp.run(3, RATE, params -> {}); // replica 1's last row is NaN
            assertThat(poisoned.skipped()).isTrue();
            assertThat(weights(driver)).isDeepEqualTo(before);
            assertThat(dp.run(4, RATE, params -> {}).skipped()).isFalse();
            assertThat(maxRelativeDifference(weights(driver), before)).isGreaterThan(1e-6);
        }
    }

    private static double[][] distributedInitial() {
        try (Float64Replica fresh = new Float64Replica("sgd", BATCH, 1)) {
            return weights(fresh);
        }
    }
}
