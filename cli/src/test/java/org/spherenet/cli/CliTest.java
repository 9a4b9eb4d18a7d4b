package org.spherenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spherenet.train.Metrics;
import org.spherenet.train.MetricsLog;
import org.spherenet.train.TrainedModel;
import org.spherenet.train.Training;

/** User mistakes give one clear line on stderr and exit code 2, never a stack trace. */
class CliTest {

    /** Runs the CLI in-process and returns {exit code, stdout, stderr}. */
    static Object[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        System.setErr(new PrintStream(e, true));
        try {
            int code = SphereNetCli.run(args);
            return new Object[] {code, o.toString(), e.toString()};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static void assertUserError(Object[] result, String expected) {
        assertThat(result[0]).isEqualTo(2);
        String stderr = ((String) result[2]).strip();
        assertThat(stderr).contains(expected);
        assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(stderr.lines()).as("one line: " + stderr).hasSize(1);
    }

    @Test
    void helpAndVersionSucceed() {
        Object[] help = run("--help");
        assertThat(help[0]).isEqualTo(0);
        assertThat((String) help[1]).contains("train").contains("eval").contains("predict").contains("models");
        Object[] trainHelp = run("train", "--help");
        assertThat(trainHelp[0]).isEqualTo(0);
        assertThat((String) trainHelp[1]).contains("--resume").contains("--operator");
        // and says how SphereConv runs here (fused kernels, or the engine's operations and why)
        assertThat((String) run("--version")[1]).contains("spherenet").contains("SphereConv: ");
    }

    @Test
    void badFlagsAndValuesAreOneLineErrors(@TempDir Path dir) {
        assertUserError(run("train", "--no-such-flag"), "Unknown option");
        assertUserError(run("train", "--batch-size", "many"), "--batch-size");
        assertUserError(run("train", "--runs", dir.toString(), "--model", "vgg16"), "unknown model 'vgg16'");
        assertUserError(run("train", "--runs", dir.toString(), "--operator", "sigmoid(-1)"),
                "operator 'sigmoid(-1)': sigmoid curvature k must be > 0, got -1.0");
        assertUserError(run("train", "--runs", dir.toString(), "--operator", "sigmoid(0)"), "k must be > 0");
        assertUserError(run("train", "--runs", dir.toString(), "--operator", "tanh"), "unknown operator 'tanh'");
        assertUserError(run("train", "--runs", dir.toString(), "--classifier", "ga-softmax:linear:0.5"),
                "margin m must be >= 1, got 0.5");
        assertUserError(run("train", "--runs", dir.toString(), "--batch-size", "0"), "batch size must be > 0, got 0");
        assertUserError(run("train", "--runs", dir.toString(), "--threads", "0"), "threads must be >= 1, got 0");
        assertUserError(run("experiment", "operators", "--runs", dir.toString(), "--threads", "-1"),
                "threads must be >= 1, got -1");
        assertUserError(run("train", "--runs", dir.toString(), "--width", "0"), "width must be > 0");
        assertUserError(run("train", "--runs", dir.toString(), "--lr", "-0.1"), "learning rate must be > 0");
        assertUserError(run("train", "--runs", dir.toString(), "--on-non-finite", "ignore"),
                "unknown non-finite policy 'ignore' (expected skip or stop)");
        assertUserError(run("train", "--runs", dir.toString(), "--dtype", "float16"),
                "unknown data type 'float16' (expected float32 or float64)");
        assertThat(dir.toFile().list()).as("nothing written for a refused run").isEmpty();
    }

    @Test
    void dataAndRunFolderProblemsAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertUserError(
                run("train", "--runs", dir.resolve("runs").toString(), "--data", empty.toString()),
                empty.toString());
        assertUserError(run("train", "--resume", empty.toString()), "not a run folder");
        assertUserError(run("eval", empty.toString()), "config.json");
        assertUserError(run("predict", empty.toString(), "x.png"), "config.json");
    }

    @Test
    void aRunFolderThatCannotBeWrittenIsOneLineAndExitCode1(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("runs"), "a file, not a folder");
        Object[] result = run("train", "--runs", notAFolder.toString(), "--name", "x", "--iterations", "1",
                "--width", "0.0625", "--fraction", "0.05");
        String stderr = ((String) result[2]).strip();
        assertThat(result[0]).as(stderr).isEqualTo(1);
        assertThat(stderr.lines().filter(line -> line.startsWith("spherenet:")))
                .singleElement().asString().startsWith("spherenet: " + notAFolder).contains(": ");
        assertThat(stderr).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** A learning rate of 1e38 overflows the weights of a plain CNN after one step: the loss turns NaN. */
    private static String[] diverging(Path runs, String policy, int iterations) {
        return new String[] {"train", "--runs", runs.toString(), "--name", policy, "--model", "cnn9",
            "--optimizer", "sgd", "--lr", "1e38", "--width", "0.0625", "--fraction", "0.05",
            "--batch-size", "32", "--iterations", String.valueOf(iterations), "--eval-every", "2",
            "--checkpoint-every", "1", "--eval-limit", "100", "--on-non-finite", policy};
    }

    @Test
    void aDivergingRunWithStopEndsInOneLineNamingTheIterationAndKeepsItsCheckpoint(@TempDir Path runs)
            throws Exception {
        Object[] result = run(diverging(runs, "stop", 10));
        String stderr = ((String) result[2]).strip();
        assertThat(result[0]).as(stderr).isEqualTo(1);
        Path checkpoint = runs.resolve("stop").resolve(Training.CHECKPOINT);
        // (the engine's own start-up log lines may come first when this test starts the engine)
        assertThat(stderr.lines().filter(line -> line.startsWith("spherenet:"))).containsExactly(
                "spherenet: stopped at iteration 2: the loss is not finite (NaN or infinity);"
                + " the weights were not updated and the last checkpoint, " + checkpoint + " (iteration 1), is intact");
        assertThat(stderr).doesNotContain("Exception").doesNotContain("\tat ");
        try (TrainedModel model = TrainedModel.load(runs.resolve("stop"))) {
            assertThat(model.restored().iteration()).isEqualTo(1);
            assertThat(model.restored().warning()).isNull();
        }
    }

    @Test
    void aDivergingRunWithSkipCompletesAndReportsTheSkippedSteps(@TempDir Path runs) throws Exception {
        Object[] result = run(diverging(runs, "skip", 4));
        assertThat(result[0]).as((String) result[2]).isEqualTo(0);
        assertThat((String) result[1]).contains("3 steps skipped (non-finite loss or gradient)");
        assertThat(MetricsLog.read(runs.resolve("skip"))).extracting(Metrics::skippedSteps).containsExactly(1L, 3L);
    }
}
