package org.spherenet.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongToDoubleFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.spherenet.train.StepRunner;
import org.spherenet.train.TrainableParameter;
import org.spherenet.train.TrainingStep;

/**
 * Data-parallel training on Spark: N replicas, replica r on rows [r B/N, (r+1) B/N) of each global
 * batch B. The driver holds the model; each synchronisation is one Spark job: the state goes out
 * as a broadcast, one task per replica computes, and {@code treeAggregate} sums the replicas'
 * sample-weighted results back. The driver alone updates its model, after the job succeeded, so
 * a failed task is retried by Spark (from the same broadcast, computing the same result) and no
 * update is lost or applied twice.
 *
 * <ul>
 *   <li>Gradient averaging ({@code averageEvery == 0}): every step, the replicas' gradients are
 *       averaged and the driver's optimiser takes the step: the same update as one replica with
 *       the global batch (exactly, up to rounding, for a network without BatchNorm; with it, each
 *       replica normalises over its own B/N rows, and the running statistics are averaged).
 *   <li>Parameter averaging ({@code averageEvery == K}): each replica takes K ordinary steps with
 *       its own optimiser from the broadcast weights and optimiser state, then weights and
 *       optimiser state are averaged.
 * </ul>
 */
final class DataParallel implements StepRunner {

    /** What one synchronisation cost, for the scaling measurements. */
    record Sync(long firstIteration, int steps, double seconds, double computeSeconds, long bytesOut, long bytesBack) {}

    private final JavaSparkContext spark;
    private final Replica.Factory factory;
    private final TrainingStep driver;
    private final int workers;
    private final int averageEvery;
    private final int batchSize;
    private final long iterations;
    private final LongToDoubleFunction rates;
    private final List<Sync> syncs = new ArrayList<>();
    private long failOnceAt = -1;

    /**
     * @param spark the context the jobs run on
     * @param factory builds the replicas in the tasks
     * @param driver the driver's step: its network and optimiser hold the model
     * @param workers replicas N (tasks per synchronisation)
     * @param averageEvery 0 for gradient averaging, else K, the steps between parameter averages
     * @param batchSize the global batch B
     * @param iterations the run's length (the last round of parameter averaging may be shorter)
     * @param rates the learning rate of each iteration
     */
    DataParallel(JavaSparkContext spark, Replica.Factory factory, TrainingStep driver, int workers,
            int averageEvery, int batchSize, long iterations, LongToDoubleFunction rates) {
        if (workers < 1 || workers > batchSize) {
            throw new IllegalArgumentException("--workers must be between 1 and the batch size " + batchSize
                    + ", got " + workers);
        }
        if (averageEvery < 0) {
            throw new IllegalArgumentException("--average-every must be >= 1 (or 0: gradient averaging), got "
                    + averageEvery);
        }
        this.spark = spark;
        this.factory = factory;
        this.driver = driver;
        this.workers = workers;
        this.averageEvery = averageEvery;
        this.batchSize = batchSize;
        this.iterations = iterations;
        this.rates = rates;
    }

    /** Test seam: replica 1's first attempt fails at this iteration (see {@link Replicas}). */
    void failOnceAt(long iteration) {
        this.failOnceAt = iteration;
    }

    /** Every synchronisation so far. */
    List<Sync> syncs() {
        return syncs;
    }

    /**
     * One line on what the synchronisations cost: medians of the time per synchronisation, of the
     * slowest replica's compute within it, and the bytes out (broadcast, counted once per replica)
     * and back (the replicas' results).
     */
    String costSummary() {
        if (syncs.isEmpty()) {
            return "no synchronisations";
        }
        double[] seconds = syncs.stream().mapToDouble(Sync::seconds).sorted().toArray();
        double[] compute = syncs.stream().mapToDouble(Sync::computeSeconds).sorted().toArray();
        Sync last = syncs.get(syncs.size() - 1);
        return String.format(java.util.Locale.ROOT,
                "%d replicas, %s: %d synchronisations, median %.1f ms each (slowest replica's compute %.1f ms),"
                        + " %.1f KB out and %.1f KB back per synchronisation",
                workers, averageEvery == 0 ? "gradient averaging" : "parameter averaging every " + averageEvery,
                syncs.size(), 1e3 * seconds[seconds.length / 2], 1e3 * compute[compute.length / 2],
                last.bytesOut() / 1e3, last.bytesBack() / 1e3);
    }

    @Override
    public TrainingStep.Result run(long iteration, double rate, Consumer<List<TrainableParameter>> gradientObserver) {
        if (averageEvery == 0) {
            return averageGradients(iteration, rate, gradientObserver);
        }
        long done = iteration + 1;
        if (!canStopAfter(done)) {
            return new TrainingStep.Result(Double.NaN, 0, null); // its result comes with the round's last step
        }
        long first = iteration - iteration % averageEvery;
        return averageParameters(first, (int) (done - first));
    }

    @Override
    public boolean canStopAfter(long iterationsDone) {
        return averageEvery == 0 || iterationsDone % averageEvery == 0 || iterationsDone == iterations;
    }

    private TrainingStep.Result averageGradients(long iteration, double rate,
            Consumer<List<TrainableParameter>> gradientObserver) {
        long start = System.nanoTime();
        ReplicaState state = ReplicaState.of(driver, false);
        Contribution sum = synchronise(state, (f, s, shard) -> Replicas.gradients(f, s, iteration, shard));
        double b = sum.samples;
        Tensors.setGradients(driver.parameters().stream().map(p -> p.array()).toList(), sum.arrays, 1 / b);
        TrainingStep.Result averaged = new TrainingStep.Result(sum.loss / b, sum.correct,
                sum.skipped > 0 || !Double.isFinite(sum.loss) ? "the loss" : null);
        TrainingStep.Result result = driver.apply(averaged, rate, gradientObserver);
        if (!result.skipped()) { // a skipped step changes nothing, BatchNorm's statistics included
            Tensors.write(driver.forwardState().stream().map(p -> p.getArray()).toList(), sum.forwardState, 1 / b);
        }
        syncs.add(new Sync(iteration, 1, (System.nanoTime() - start) / 1e9, sum.computeSeconds,
                state.bytes() * workers, sum.bytes));
        return result;
    }

    private TrainingStep.Result averageParameters(long first, int steps) {
        long start = System.nanoTime();
        double[] stepRates = new double[steps];
        for (int k = 0; k < steps; k++) {
            stepRates[k] = rates.applyAsDouble(first + k);
        }
        ReplicaState state = ReplicaState.of(driver, true);
        Contribution sum = synchronise(state, (f, s, shard) -> Replicas.localSteps(f, s, first, stepRates, shard));
        double b = sum.samples;
        ReplicaState.loadOptimizer(driver, sum.optimizer); // counters (Adam's step count)
        Tensors.write(driver.parameters().stream().map(p -> p.array()).toList(), sum.arrays, 1 / b);
        Tensors.write(driver.forwardState().stream().map(p -> p.getArray()).toList(), sum.forwardState, 1 / b);
        Tensors.write(driver.optimizer().state(), sum.optimizerState, 1 / b);
        syncs.add(new Sync(first, steps, (System.nanoTime() - start) / 1e9, sum.computeSeconds,
                state.bytes() * workers, sum.bytes));
        // one result for the round: the mean loss and correct count per step (skipped steps add no loss)
        boolean allSkipped = sum.skipped == steps * (long) workers;
        return new TrainingStep.Result(allSkipped ? Double.NaN : sum.loss / b / steps, sum.correct / steps, null);
    }

    private interface Task extends java.io.Serializable {
        Contribution run(Replica.Factory factory, ReplicaState state, Replicas.Shard shard) throws Exception;
    }

    /** One Spark job: broadcast the state, one task per replica, sum the contributions. */
    private Contribution synchronise(ReplicaState state, Task task) {
        Broadcast<ReplicaState> shared = spark.broadcast(state);
        try {
            List<Replicas.Shard> shards = new ArrayList<>(workers);
            for (int r = 0; r < workers; r++) {
                shards.add(new Replicas.Shard(r, workers, batchSize, failOnceAt));
            }
            Replica.Factory f = factory;
            JavaRDD<Replicas.Shard> rdd = spark.parallelize(shards, workers);
            return rdd.map(shard -> task.run(f, shared.value(), shard))
                    .treeAggregate(new Contribution(), Contribution::add, Contribution::add);
        } finally {
            shared.destroy();
        }
    }
}
