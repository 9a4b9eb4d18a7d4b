package org.spherenet.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Pipeline;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Data-loading throughput on Fashion-MNIST (training split, batch 128, shuffled, horizontal flip),
 * without and with background prefetching: three warm-up epochs, then the median of seven timed epochs
 * (469 batches each). For comparison it also times DJL's own path (one NDArray per record, stacked
 * by the batchifier), which the dataset falls back to when a pipeline is set. Not a unit test; run it by hand:
 *
 * <pre>
 * mvn -q -o test-compile -pl core
 * mvn -q -o dependency:build-classpath -pl core -Dmdep.outputFile=/tmp/cp.txt
 * java -cp core/target/classes:core/target/test-classes:$(cat /tmp/cp.txt) \
 *     org.spherenet.data.LoaderBenchmark [data-dir]
 * </pre>
 */
public final class LoaderBenchmark {

    private static final int BATCH = 128;
    private static final int WARM_UP = 3;
    private static final int REPEATS = 7;

    private LoaderBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args optional: the Fashion-MNIST folder (default: located as usual)
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        Path dataDir = args.length > 0 ? Path.of(args[0]) : null;
        IdxDataset train = dataset(dataDir).build();
        IdxDataset perRecord = dataset(dataDir).optPipeline(new Pipeline()).build();
        long start = System.nanoTime();
        train.prepare();
        System.out.printf(
                "prepare (locate, verify, read %d images): %.2f s%n",
                train.size(), (System.nanoTime() - start) / 1e9);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            perRecord.prepare();
            report("DJL per-record", perRecord, manager, null);
            report("sequential", train, manager, null);
            report("prefetch 2 threads", train, manager, executor);
        } finally {
            executor.shutdown();
        }
    }

    private static IdxDataset.Builder dataset(Path dataDir) {
        return IdxDataset.builder()
                .optDataDir(dataDir)
                .optAugmentation(Augmentations.flip())
                .optSeed(1)
                .setSampling(BATCH, true);
    }

    private static void report(String name, IdxDataset train, NDManager manager, ExecutorService executor)
            throws Exception {
        for (int w = 0; w < WARM_UP; w++) {
            epoch(train, manager, executor, 100 + w); // the JIT needs a few epochs on 2 cores
        }
        double[] seconds = new double[REPEATS];
        int batches = 0;
        for (int r = 0; r < REPEATS; r++) {
            long start = System.nanoTime();
            batches = epoch(train, manager, executor, r + 1);
            seconds[r] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        double median = seconds[REPEATS / 2];
        System.out.printf(
                "%-20s %d batches/epoch, median %.3f s (min %.3f, max %.3f): %.0f batches/s, %.0f images/s%n",
                name,
                batches,
                median,
                seconds[0],
                seconds[REPEATS - 1],
                batches / median,
                train.size() / median);
    }

    /** Reads one epoch, touching every batch as a training step would (shape and first value). */
    private static int epoch(IdxDataset train, NDManager manager, ExecutorService executor, int epoch)
            throws Exception {
        train.setEpoch(epoch);
        int batches = 0;
        float sink = 0;
        for (Batch batch : train.getData(manager, executor)) {
            sink += batch.getData().head().getFloat(0, 0, 0, 0);
            batch.close();
            batches++;
        }
        if (Float.isNaN(sink)) {
            throw new AssertionError("NaN in the data");
        }
        return batches;
    }
}
