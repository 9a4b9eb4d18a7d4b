package org.spherenet.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.spherenet.cli.TrainCommand;
import org.spherenet.train.LearningRateSchedule;
import org.spherenet.train.TrainConfig;
import org.spherenet.train.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spherenet train --spark MASTER --workers N}: the usual training, data-parallel on Spark. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a network data-parallel on Spark: N replicas, each on a shard of every batch; the driver",
            "writes the usual run folder. Gradient averaging every step (the same update as one replica with",
            "the whole batch), or parameter averaging every K steps (--average-every K)."
        })
final class SparkTrainCommand extends TrainCommand {

    @Option(names = "--spark", paramLabel = "MASTER", required = true,
            description = "Spark master: local[N] (in this process), local-cluster[W,C,MB], spark://HOST:PORT, yarn, ...")
    String master;

    @Option(names = "--workers", description = "Replicas N (default: ${DEFAULT-VALUE}).")
    int workers = 2;

    @Option(names = "--average-every", paramLabel = "K",
            description = "Average parameters (and optimiser state) every K steps instead of gradients every step (default: 0 = gradients).")
    int averageEvery;

    private JavaSparkContext spark;
    DataParallel dataParallel;

    @Override
    public Integer call() throws Exception {
        Spark.checkMaster(master);
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
        }
        if (averageEvery < 0) {
            throw new IllegalArgumentException("--average-every must be >= 0, got " + averageEvery);
        }
        spark = Spark.start(master, "spherenet train");
        try {
            int code = super.call();
            if (dataParallel != null) {
                System.out.println("data-parallel: " + dataParallel.costSummary());
            }
            return code;
        } finally {
            spark.stop();
            Replicas.closeAll();
        }
    }

    @Override
    protected void configure(Training training) throws java.io.IOException {
        TrainConfig c = training.config();
        if (averageEvery > 0 && (c.evalEvery % averageEvery != 0 || c.checkpointEvery % averageEvery != 0)) {
            throw new IllegalArgumentException("--average-every " + averageEvery + " must divide --eval-every ("
                    + c.evalEvery + ") and --checkpoint-every (" + c.checkpointEvery + "): the driver holds the"
                    + " averaged weights only at those steps");
        }
        dataParallel = new DataParallel(spark, TrainingReplica.factory(c), training.stepAt(0), workers, averageEvery,
                c.batchSize, c.iterations, LearningRateSchedule.parse(c.schedule, c.learningRate, c.iterations)::rate);
        training.runStepsWith(dataParallel);
    }
}
