package org.spherenet.spark;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.dataset.Batch;
import java.io.IOException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.spherenet.train.TrainingStep;

/**
 * The task side of data-parallel training. An executor keeps idle replicas of a run between steps
 * (building one reads the data and the network: seconds), but a task trusts nothing a replica
 * holds: it loads the broadcast state and clears the gradients first, so a retried task computes
 * exactly what the first attempt would have, whatever that attempt left behind.
 */
final class Replicas {

    /** Idle replicas per run, in this executor's JVM. */
    private static final Map<String, Queue<Replica>> IDLE = new ConcurrentHashMap<>();

    /** Replicas built in this JVM (the tests tell executor processes from in-process tasks by it). */
    private static final AtomicInteger BUILT = new AtomicInteger();

    private Replicas() {}

    /** What a task needs to know besides the broadcast state. */
    record Shard(int replica, int replicas, int batchSize, long failOnceAt) implements java.io.Serializable {

        int from() {
            return (int) ((long) replica * batchSize / replicas);
        }

        int to() {
            return (int) ((long) (replica + 1) * batchSize / replicas);
        }
    }

    /**
     * Gradient averaging: the gradient of the replica's rows of iteration {@code iteration}'s
     * batch at the broadcast weights, times its row count.
     */
    static Contribution gradients(Replica.Factory factory, ReplicaState state, long iteration, Shard shard)
            throws IOException {
        return withReplica(factory, replica -> {
            TrainingStep step = replica.stepAt(iteration);
            state.loadInto(step);
            Contribution c = new Contribution();
            try (NDManager batches = replica.manager().newSubManager();
                    Batch batch = replica.batchRows(batches, iteration, shard.from(), shard.to());
                    NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                TrainingStep.Result result = step.backward(replica.store(), batch.getData().head(), batch.getLabels());
                injectedFailure(shard, iteration);
                int n = shard.to() - shard.from();
                c.arrays = Tensors.addScaled(null,
                        Tensors.read(step.parameters().stream().map(p -> p.array().getGradient()).toList()), n);
                c.forwardState = Tensors.addScaled(null,
                        Tensors.read(step.forwardState().stream().map(p -> p.getArray()).toList()), n);
                c.loss = result.loss() * n;
                c.correct = result.correct();
                c.samples = n;
                c.skipped = result.skipped() ? 1 : 0;
            }
            step.clearGradients();
            c.bytes = Tensors.bytes(c.arrays) + Tensors.bytes(c.forwardState);
            return c;
        });
    }

    /**
     * Parameter averaging: {@code rates.length} ordinary steps from iteration {@code first} on the
     * replica's rows of each batch, starting from the broadcast weights and optimiser; returns the
     * weights and optimiser state reached, times the row count.
     */
    static Contribution localSteps(Replica.Factory factory, ReplicaState state, long first, double[] rates,
            Shard shard) throws IOException {
        return withReplica(factory, replica -> {
            TrainingStep step = replica.stepAt(first);
            state.loadInto(step);
            Contribution c = new Contribution();
            int n = shard.to() - shard.from();
            for (int k = 0; k < rates.length; k++) {
                long iteration = first + k;
                step = replica.stepAt(iteration);
                try (NDManager batches = replica.manager().newSubManager();
                        Batch batch = replica.batchRows(batches, iteration, shard.from(), shard.to())) {
                    TrainingStep.Result result = step.run(replica.store(), batch.getData().head(),
                            batch.getLabels(), rates[k]);
                    if (result.skipped()) {
                        c.skipped++;
                    } else {
                        c.loss += result.loss() * n;
                    }
                    c.correct += result.correct();
                }
                if (k == rates.length / 2) {
                    injectedFailure(shard, iteration);
                }
            }
            c.arrays = Tensors.addScaled(null, Tensors.read(step.parameters().stream().map(p -> p.array()).toList()), n);
            c.forwardState = Tensors.addScaled(null,
                    Tensors.read(step.forwardState().stream().map(p -> p.getArray()).toList()), n);
            c.optimizerState = Tensors.addScaled(null, Tensors.read(step.optimizer().state()), n);
            if (shard.replica() == 0) {
                c.optimizer = ReplicaState.saveOptimizer(step);
            }
            c.samples = n;
            c.bytes = Tensors.bytes(c.arrays) + Tensors.bytes(c.forwardState) + Tensors.bytes(c.optimizerState)
                    + (c.optimizer == null ? 0 : c.optimizer.length);
            return c;
        });
    }

    private interface Work {
        Contribution on(Replica replica) throws IOException;
    }

    private static Contribution withReplica(Replica.Factory factory, Work work) throws IOException {
        prepareTaskThread();
        Queue<Replica> idle = IDLE.computeIfAbsent(factory.key(), k -> new ConcurrentLinkedQueue<>());
        Replica replica = idle.poll();
        if (replica == null) {
            replica = factory.create();
            BUILT.incrementAndGet();
        }
        boolean healthy = false;
        try {
            long start = System.nanoTime();
            Contribution c = work.on(replica);
            c.computeSeconds = (System.nanoTime() - start) / 1e9;
            healthy = true;
            return c;
        } finally {
            if (healthy) {
                idle.add(replica);
            } else {
                replica.close(); // a failed attempt's replica is not reused
            }
        }
    }

    /**
     * Sets up PyTorch for a task's thread: the engine loaded (a fresh executor has not), intra-op
     * threads = the task's cores ({@code spark.task.cpus}), and gradient mode off, as the training
     * loop expects outside its gradient collector (PyTorch keeps it per thread, on in a new one).
     */
    static void prepareTaskThread() {
        ai.djl.engine.Engine.getInstance();
        TaskContext task = TaskContext.get();
        if (task != null) {
            JniUtils.setNumThreads(Math.max(1, task.cpus()));
        }
        JniUtils.setGradMode(false);
    }

    /**
     * Fault injection for the tests: the first attempt of replica 1's task fails at iteration
     * {@code failOnceAt}, after its backward pass, as an executor lost mid-step would.
     */
    private static void injectedFailure(Shard shard, long iteration) {
        TaskContext task = TaskContext.get();
        if (iteration == shard.failOnceAt() && shard.replica() == 1 && task != null && task.attemptNumber() == 0) {
            throw new IllegalStateException("injected failure: replica 1, iteration " + iteration + ", first attempt");
        }
    }

    static int builtInThisJvm() {
        return BUILT.get();
    }

    /** Closes this JVM's idle replicas of every run (tests; a driver's end). */
    static void closeAll() {
        IDLE.values().forEach(q -> {
            for (Replica r; (r = q.poll()) != null; ) {
                r.close();
            }
        });
        IDLE.clear();
    }

}
