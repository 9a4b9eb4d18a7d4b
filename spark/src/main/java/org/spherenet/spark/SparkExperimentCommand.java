package org.spherenet.spark;

import java.io.IOException;
import org.apache.spark.api.java.JavaSparkContext;
import org.spherenet.cli.ExperimentCommand;
import org.spherenet.experiment.Experiment;
import org.spherenet.experiment.Study;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spherenet experiment NAME --spark MASTER}: every training run of the study is a Spark task;
 * the driver then writes the report from the finished runs, as the single-machine command does.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run a study with each of its training runs as a Spark task (one replica per task, threads = the",
            "task's cores); then the report, as without --spark. Finished runs are skipped on a rerun."
        })
final class SparkExperimentCommand extends ExperimentCommand {

    @Option(names = "--spark", paramLabel = "MASTER", required = true,
            description = "Spark master: local[N] (in this process), local-cluster[W,C,MB], spark://HOST:PORT, yarn, ...")
    String master;

    @Option(names = "--store", paramLabel = "URI",
            description = "Hadoop file system folder for the run folders and results (hdfs://..., s3a://..., file:///...);"
                    + " --runs and --results are then local copies on the driver (default: none, --runs is shared).")
    String store;

    private JavaSparkContext spark;
    private java.nio.file.Path resultsDir;

    @Override
    public Integer call() throws Exception {
        Spark.checkMaster(master);
        spark = Spark.start(master, "spherenet experiment");
        try {
            int code = super.call();
            if (store != null && resultsDir != null) {
                RunStore.of(store, spark.hadoopConfiguration()).uploadResults(resultsDir);
            }
            return code;
        } finally {
            spark.stop();
        }
    }

    @Override
    protected void beforeStudy(Study study, Experiment.Options options) throws IOException {
        resultsDir = options.resultsDir();
        RunStore runStore = store == null ? null : RunStore.of(store, spark.hadoopConfiguration());
        new DistributedRuns(spark, runStore, System.out).trainAll(study, options);
    }
}
