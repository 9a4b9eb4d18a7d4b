package org.spherenet.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.SerializableConfiguration;
import org.spherenet.experiment.Experiment;
import org.spherenet.experiment.Study;
import org.spherenet.experiment.TrialRunner;
import org.spherenet.train.TrainConfig;

/**
 * Trains the runs a study needs as Spark tasks, one run per task, into the run folders the
 * single-machine runner would use ({@link TrialRunner#folder}), so that the study then reads them
 * back. The runs are found by {@link Experiment#plan}, again after each round for studies that
 * choose runs from earlier results. A retried task continues its run from the last checkpoint.
 */
final class DistributedRuns {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JavaSparkContext spark;
    private final RunStore store;
    private final PrintStream log;

    DistributedRuns(JavaSparkContext spark, RunStore store, PrintStream log) {
        this.spark = spark;
        this.store = store;
        this.log = log;
    }

    /**
     * Trains every run of this shard that {@code study} needs and is not finished yet; no task starts
     * a run after the budget's deadline (those runs are left for the next invocation).
     */
    void trainAll(Study study, Experiment.Options options) throws IOException {
        List<String> trainedBefore = new ArrayList<>();
        while (!options.budget().spent()) {
            if (store != null) {
                store.download(options.runsDir());
            }
            List<TrainConfig> planned = Experiment.plan(study, options);
            List<Job> jobs = new ArrayList<>();
            for (TrainConfig config : planned) {
                Path dir = TrialRunner.folder(options.runsDir(), config);
                jobs.add(new Job(JSON.writeValueAsString(config), dir.toAbsolutePath().toString(),
                        dir.getFileName().toString(), options.budget().deadlineMillis()));
            }
            if (jobs.isEmpty() || trainedBefore.equals(jobs.stream().map(Job::name).toList())) {
                return; // done, or no progress: the study trains what is left itself
            }
            trainedBefore = jobs.stream().map(Job::name).toList();
            run(study.name(), jobs);
        }
    }

    /**
     * One run: its configuration (JSON), where its folder goes on the driver, its name, and the
     * wall-clock time after which its task must not start it (the budget; executors have no other
     * clock in common with the driver).
     */
    record Job(String config, String localDir, String name, long deadlineMillis) implements Serializable {}

    private void run(String studyName, List<Job> jobs) {
        log.printf("%s: %d runs on Spark (%s)%n", studyName, jobs.size(), spark.master());
        AtomicInteger finished = new AtomicInteger();
        long start = System.nanoTime();
        SparkListener progress = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().successful()) {
                    log.printf("  run %d/%d finished (%.0f s)%n", finished.incrementAndGet(), jobs.size(),
                            (System.nanoTime() - start) / 1e9);
                }
            }
        };
        spark.sc().addSparkListener(progress);
        Broadcast<SerializableConfiguration> hadoop =
                spark.broadcast(new SerializableConfiguration(spark.hadoopConfiguration()));
        String storeUri = store == null ? null : store.uri();
        try {
            spark.parallelize(jobs, jobs.size())
                    .foreach(job -> trainOne(job, storeUri, hadoop.value().value()));
        } finally {
            spark.sc().removeSparkListener(progress);
            hadoop.destroy();
        }
    }

    /** In a task: trains the run in its folder (or in a scratch folder copied to the store). */
    private static void trainOne(Job job, String storeUri, Configuration hadoop) throws IOException {
        if (System.currentTimeMillis() >= job.deadlineMillis()) {
            return; // the budget is spent: a later invocation trains it
        }
        Replicas.prepareTaskThread();
        TrainConfig config = JSON.readValue(job.config(), TrainConfig.class);
        if (storeUri == null) {
            TrialRunner.train(config, Path.of(job.localDir()));
            return;
        }
        RunStore store = RunStore.of(storeUri, hadoop);
        Path scratch = Files.createTempDirectory("spherenet-run");
        Path dir = scratch.resolve(job.name());
        try {
            store.fetchRun(job.name(), dir); // a retried task continues from the run's last upload
            TrialRunner.train(config, dir);
            store.uploadRun(dir);
        } finally {
            try (var files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
