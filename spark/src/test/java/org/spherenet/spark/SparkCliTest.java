package org.spherenet.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spherenet.cli.SphereNetCli;
import org.spherenet.train.Metrics;
import org.spherenet.train.MetricsLog;
import org.spherenet.train.RunFolder;

/**
 * {@code spherenet train --spark} and {@code spherenet experiment --spark} end to end on
 * {@code local[2]}, against the single-machine commands, on a sliver of Fashion-MNIST.
 */
class SparkCliTest {

    /** 900 training images, batches of 30: 30 steps an epoch; two epochs; Adam, BatchNorm. */
    static final String[] SMALL = {"--model", "spherenet9", "--width", "0.0625", "--fraction", "0.015",
        "--batch-size", "30", "--iterations", "60", "--eval-every", "30", "--checkpoint-every", "30",
        "--eval-limit", "1000", "--lr", "0.003"};

    static Object[] run(boolean spark, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        System.setErr(new PrintStream(e, true));
        try {
            int code = spark ? SparkCli.run(args) : SphereNetCli.run(args);
            return new Object[] {code, o.toString(), e.toString()};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static String[] args(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }

    static Path train(Path runs, String name, boolean spark, String... extra) {
        Object[] r = run(spark, args(args(new String[] {"train", "--runs", runs.toString(), "--name", name}, SMALL), extra));
        assertThat(r[0]).as("%s%n%s", r[1], r[2]).isEqualTo(0);
        return runs.resolve(name);
    }

    static List<Double> accuracies(Path run) throws IOException {
        List<Double> a = new ArrayList<>();
        for (Metrics m : MetricsLog.read(run)) {
            a.add(m.testAccuracy());
        }
        return a;
    }

    @Test
    void dataParallelTrainingWritesTheUsualRunFolderAndLearnsLikeALocalRun(@TempDir Path runs) throws Exception {
        ai.djl.engine.Engine.getInstance();
        JniUtils.setNumThreads(1); // the local run as one task computes it
        Path local = train(runs, "local", false);
        Path one = train(runs, "one", true, "--spark", "local[2]", "--workers", "1");
        Path gradients = train(runs, "gradients", true, "--spark", "local[2]", "--workers", "2");
        Path parameters = train(runs, "parameters", true, "--spark", "local[2]", "--workers", "2",
                "--average-every", "6");
        for (Path run : List.of(one, gradients, parameters)) {
            for (String file : List.of("config.json", "model.json", "metrics.jsonl", "metrics.csv", "curves.png",
                    "checkpoint.bin", "checkpoint.prev.bin", "summary.json")) {
                assertThat(run.resolve(file)).exists();
            }
            assertThat(RunFolder.readSummary(run).finished()).isTrue();
        }
        List<Double> reference = accuracies(local);
        System.out.printf("test accuracy per epoch: local %s, 1 replica %s, gradient averaging %s, parameter averaging"
                + " (6) %s; seconds %.1f %.1f %.1f %.1f%n", reference, accuracies(one), accuracies(gradients),
                accuracies(parameters), seconds(local), seconds(one), seconds(gradients), seconds(parameters));
        // one replica on Spark is the local run: same batches, schedule, BatchNorm statistics, losses
        assertThat(curve(one)).isEqualTo(curve(local));
        assertThat(reference).hasSize(2).allSatisfy(a -> assertThat(a).isGreaterThan(0.45));
        // two: BatchNorm sees 15 rows per replica instead of 30, so not exact; within the noise
        // of two short epochs (a change of seed moves these by up to 0.1)
        for (int epoch = 0; epoch < 2; epoch++) {
            assertThat(accuracies(gradients).get(epoch)).isCloseTo(reference.get(epoch), Offset.offset(0.12));
            assertThat(accuracies(parameters).get(epoch)).isCloseTo(reference.get(epoch), Offset.offset(0.15));
        }

        // a driver restart: the run resumed from its checkpoint at 30 ends where the undisturbed one did
        Path restarted = runs.resolve("restarted");
        copy(gradients, restarted);
        Files.delete(restarted.resolve("checkpoint.bin")); // the latest: resume from the previous, at 30
        Files.delete(restarted.resolve("summary.json")); // a driver that died wrote no summary (a finished run is left alone)
        Object[] resumed = run(true, "train", "--resume", restarted.toString(), "--spark", "local[2]", "--workers", "2");
        assertThat(resumed[0]).as("%s%n%s", resumed[1], resumed[2]).isEqualTo(0);
        assertThat((String) resumed[2]).contains("checkpoint.prev.bin");
        assertThat(curve(restarted)).isEqualTo(curve(gradients));
    }

    /** Iteration, loss and test accuracy of every evaluation, bit for bit. */
    private static List<List<Double>> curve(Path run) throws IOException {
        return MetricsLog.read(run).stream()
                .map(m -> List.of((double) m.iteration(), m.fitLoss(), m.trainAccuracy(), m.testAccuracy())).toList();
    }

    private static double seconds(Path run) throws IOException {
        return RunFolder.readSummary(run).elapsedSeconds();
    }

    @Test
    void badSparkSettingsAreOneLineErrors(@TempDir Path runs) {
        Object[] workers = run(true, args(new String[] {"train", "--runs", runs.toString()}, "--spark", "local[2]", "--workers", "0"));
        assertThat(workers[0]).isEqualTo(2);
        assertThat(((String) workers[2]).strip()).isEqualTo("spherenet: --workers must be >= 1, got 0");
        Object[] every = run(true, args(args(new String[] {"train", "--runs", runs.toString()}, SMALL),
                "--spark", "local[2]", "--average-every", "7"));
        assertThat(every[0]).isEqualTo(2);
        assertThat(((String) every[2]).strip()).startsWith("spherenet: --average-every 7 must divide --eval-every (30)")
                .doesNotContain("\n");
        assertThat(runs).isEmptyDirectory();
    }

    @Test
    void aStudyOnSparkGivesTheResultsOfTheLocalRunner(@TempDir Path dir) throws Exception {
        ai.djl.engine.Engine.getInstance();
        JniUtils.setNumThreads(1);
        Object[] local = run(false, "experiment", "learnable", "--scale", "tiny",
                "--results", dir.resolve("local-results").toString(), "--runs", dir.resolve("local-runs").toString());
        assertThat(local[0]).as("%s", local[2]).isEqualTo(0);
        // run folders and results kept on a Hadoop file system (here file://); --runs is the driver's copy
        String store = dir.resolve("store").toUri().toString();
        Object[] spark = run(true, "experiment", "learnable", "--scale", "tiny", "--spark", "local[2]", "--store", store,
                "--results", dir.resolve("results").toString(), "--runs", dir.resolve("runs").toString());
        assertThat(spark[0]).as("%s%n%s", spark[1], spark[2]).isEqualTo(0);
        assertThat((String) spark[1]).contains("4 runs on Spark", "run 4/4 finished");
        assertThat(trials(dir.resolve("results"))).isEqualTo(trials(dir.resolve("local-results")));
        try (var stored = Files.list(dir.resolve("store/runs"))) {
            assertThat(stored.filter(r -> Files.exists(r.resolve("summary.json")))).hasSize(4);
        }
        assertThat(dir.resolve("store/results/learnable/report.md")).exists();
        // a rerun from another driver folder trains nothing: the store's runs are finished
        Object[] again = run(true, "experiment", "learnable", "--scale", "tiny", "--spark", "local[2]", "--store", store,
                "--results", dir.resolve("results2").toString(), "--runs", dir.resolve("runs2").toString());
        assertThat(again[0]).as("%s", again[2]).isEqualTo(0);
        assertThat((String) again[1]).doesNotContain("runs on Spark").contains("earlier run");
        assertThat(trials(dir.resolve("results2"))).isEqualTo(trials(dir.resolve("local-results")));
    }

    @Test
    void aStudyOnSparkKeepsToItsShardAndItsBudget(@TempDir Path dir) throws Exception {
        ai.djl.engine.Engine.getInstance();
        JniUtils.setNumThreads(1);
        String results = dir.resolve("results").toString();
        String runs = dir.resolve("runs").toString();
        // a spent budget: no run starts, on Spark or after it
        Object[] none = run(true, "experiment", "learnable", "--scale", "tiny", "--spark", "local[2]",
                "--budget-minutes", "1e-9", "--results", results, "--runs", runs);
        assertThat(none[0]).as("%s%n%s", none[1], none[2]).isEqualTo(0);
        assertThat((String) none[1]).doesNotContain("runs on Spark").contains("(budget spent)");
        assertThat(records(dir.resolve("results"))).isEmpty();
        // shard 1 of 2 on Spark trains the runs the local runner's shard 1 of 2 trains, and no others
        Object[] half = run(true, "experiment", "learnable", "--scale", "tiny", "--spark", "local[2]",
                "--shard", "1/2", "--results", results, "--runs", runs);
        assertThat(half[0]).as("%s%n%s", half[1], half[2]).isEqualTo(0);
        Object[] local = run(false, "experiment", "learnable", "--scale", "tiny", "--shard", "1/2",
                "--results", dir.resolve("local-results").toString(), "--runs", dir.resolve("local-runs").toString());
        assertThat(local[0]).as("%s", local[2]).isEqualTo(0);
        assertThat(records(dir.resolve("results"))).isNotEmpty().hasSizeLessThan(4)
                .isEqualTo(records(dir.resolve("local-results")));
    }

    /** The names of the run records a study wrote. */
    private static List<String> records(Path results) throws IOException {
        Path trials = results.resolve(org.spherenet.experiment.TrialStore.FOLDER);
        if (!Files.isDirectory(trials)) {
            return List.of();
        }
        try (var files = Files.list(trials)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** Every trial's label, losses and accuracies, bit for bit (times excluded). */
    private static List<String> trials(Path results) throws IOException {
        JsonNode json = new ObjectMapper().readTree(results.resolve("learnable/results.json").toFile());
        List<String> rows = new ArrayList<>();
        for (JsonNode trial : json.get("trials")) {
            rows.add(trial.path("label").asText() + " " + trial.path("run").asText() + " "
                    + trial.path("testAccuracy").asText() + " " + trial.path("curve"));
        }
        assertThat(rows).isNotEmpty();
        return rows;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().endsWith(".lock")) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
    }
}
