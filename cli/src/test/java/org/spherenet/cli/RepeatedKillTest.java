package org.spherenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spherenet.train.Metrics;
import org.spherenet.train.MetricsLog;
import org.spherenet.train.RunCheckpoints;
import org.spherenet.train.RunFolder;
import org.spherenet.train.TrainedModel;

/**
 * A run killed with SIGKILL again and again, at seeded random moments while it trains and while it
 * writes a checkpoint (it writes one every step), always resumes from a readable checkpoint, never
 * loses more than the step in progress, and finally completes with a consistent log.
 */
class RepeatedKillTest {

    private static final int KILLS = 4;
    private static final int MAX_AIMED_RETRIES = 8;
    private static final long ITERATIONS = 40;

    private static Process launch(Path runs, Path dir, int n) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                SphereNetCli.class.getName(), "train"));
        if (Files.exists(dir.resolve(RunFolder.CONFIG))) {
            command.addAll(List.of("--resume", dir.toString()));
        } else {
            command.addAll(List.of("--runs", runs.toString(), "--name", dir.getFileName().toString(),
                    "--width", "0.0625", "--fraction", "0.05", "--batch-size", "32",
                    "--iterations", String.valueOf(ITERATIONS), "--eval-every", "10",
                    "--checkpoint-every", "1", "--eval-limit", "200"));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(runs.resolve("launch-" + n + ".log").toFile());
        // one PyTorch thread: on a busy machine two threads wait for each other at every
        // operation (seen: steps 7x slower while other jobs ran)
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }

    private static long modified(Path file) throws IOException {
        return Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : -1;
    }

    private static boolean writingCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("." + RunCheckpoints.LATEST));
        }
    }

    @Test
    void aRunKilledAtRandomMomentsAlwaysResumesFromAReadableCheckpointAndCompletes(@TempDir Path runs)
            throws Exception {
        SplittableRandom random = new SplittableRandom(20261127);
        Path dir = runs.resolve("run");
        Path latest = dir.resolve(RunCheckpoints.LATEST);
        long restoredBefore = 0;
        int midWrite = 0;
        int launches = 0;
        // four kills, alternately at a random moment and aimed at a checkpoint write; a write lasts
        // a few milliseconds, so an aimed kill can come too late: more aimed kills follow (at most
        // MAX_AIMED_RETRIES) until one has landed inside a write
        for (int kill = 0; kill < KILLS || (midWrite == 0 && kill < KILLS + MAX_AIMED_RETRIES); kill++) {
            boolean aimed = kill % 2 == 1 || kill >= KILLS;
            long before = modified(latest);
            Process process = launch(runs, dir, kill);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (modified(latest) == before && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5); // starting up: until this launch writes its first checkpoint
            }
            if (!aimed) {
                Thread.sleep(random.nextInt(400)); // a random moment of training
            } else {
                Thread.sleep(random.nextInt(100));
                while (!writingCheckpoint(dir) && process.isAlive() && System.nanoTime() < deadline) {
                    Thread.onSpinWait(); // until a checkpoint is being written: its temporary file exists
                }
            }
            assertThat(process.isAlive()).as("launch %d still training when killed", kill).isTrue();
            process.destroyForcibly().waitFor(); // SIGKILL
            boolean duringWrite = writingCheckpoint(dir);
            midWrite += duringWrite ? 1 : 0;
            launches = kill + 1;

            try (TrainedModel model = TrainedModel.load(dir)) { // falls back as a resume does
                long restored = model.restored().iteration();
                System.out.printf("kill %d: %s, resumable from iteration %d%s%n", kill,
                        duringWrite ? "while writing a checkpoint" : "while training", restored,
                        model.restored().warning() == null ? "" : " (" + model.restored().warning() + ")");
                assertThat(restored).as("kill %d: progress kept", kill).isGreaterThanOrEqualTo(restoredBefore);
                restoredBefore = restored;
            }
        }
        assertThat(restoredBefore).as("killed before the end").isLessThan(ITERATIONS);
        assertThat(midWrite).as("kills that landed while a checkpoint was written").isPositive();

        Process last = launch(runs, dir, launches);
        assertThat(last.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(runs.resolve("launch-" + launches + ".log"));
        assertThat(last.exitValue()).as(log).isZero();
        for (int n = 0; n <= launches; n++) {
            assertThat(Files.readString(runs.resolve("launch-" + n + ".log")))
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(Files.readString(dir.resolve(RunFolder.SUMMARY))).contains("\"finished\" : true");
        List<Long> rows = MetricsLog.read(dir).stream().map(Metrics::iteration).toList();
        assertThat(rows).as("one log row per evaluation, none twice").containsExactly(10L, 20L, 30L, 40L);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }
}
