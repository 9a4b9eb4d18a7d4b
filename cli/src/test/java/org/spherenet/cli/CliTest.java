package org.spherenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertThat((String) run("--version")[1]).contains("spherenet");
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
        assertUserError(run("train", "--runs", dir.toString(), "--width", "0"), "width must be > 0");
        assertUserError(run("train", "--runs", dir.toString(), "--lr", "-0.1"), "learning rate must be > 0");
        assertUserError(run("train", "--runs", dir.toString(), "--on-non-finite", "ignore"),
                "unknown non-finite policy 'ignore' (expected skip or stop)");
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
}
