package org.spherenet.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spherenet.train.MetricsLog;

/**
 * Data-parallel training on a real multi-process cluster: Spark's {@code local-cluster} master
 * starts a master, two workers and two executor JVMs (from this test's class path), and the run
 * must end exactly as the same run on {@code local[2]} in this process.
 */
class LocalClusterTest {

    static final String[] RUN = {"--model", "spherenet9", "--width", "0.0625", "--fraction", "0.01",
        "--batch-size", "30", "--iterations", "20", "--eval-every", "10", "--checkpoint-every", "10",
        "--eval-limit", "500"};

    @Test
    void twoExecutorProcessesTrainAsTwoReplicasInProcess(@TempDir Path runs) throws IOException {
        // Spark's workers find its jars in $SPARK_HOME/jars (set by the build); the executors get
        // this JVM's class path instead, so the folder only has to exist
        Path home = Path.of(System.getenv("SPARK_HOME"));
        Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "spherenet test\n");
        Map<String, String> settings = Map.of(
                "spark.executor.extraClassPath", System.getProperty("java.class.path"),
                "spark.executor.memory", "1g",
                "spark.executor.extraJavaOptions", "-Dai.djl.offline=true -Dai.djl.default_engine=PyTorch");
        settings.forEach(System::setProperty);
        try {
            int before = Replicas.builtInThisJvm();
            Path cluster = train(runs, "cluster", "local-cluster[2,1,1536]");
            assertThat(Replicas.builtInThisJvm()).as("replicas built in the driver's JVM").isEqualTo(before);
            Path inProcess = train(runs, "in-process", "local[2]");
            assertThat(Replicas.builtInThisJvm()).isGreaterThan(before);
            assertThat(curve(cluster)).hasSize(2).isEqualTo(curve(inProcess));
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }
    }

    private static Path train(Path runs, String name, String master) {
        String[] args = SparkCliTest.args(SparkCliTest.args(
                new String[] {"train", "--runs", runs.toString(), "--name", name}, RUN),
                "--spark", master, "--workers", "2");
        Object[] r = SparkCliTest.run(true, args);
        assertThat(r[0]).as("%s%n%s", r[1], r[2]).isEqualTo(0);
        return runs.resolve(name);
    }

    private static List<List<Double>> curve(Path run) throws IOException {
        return MetricsLog.read(run).stream()
                .map(m -> List.of((double) m.iteration(), m.fitLoss(), m.trainAccuracy(), m.testAccuracy())).toList();
    }
}
