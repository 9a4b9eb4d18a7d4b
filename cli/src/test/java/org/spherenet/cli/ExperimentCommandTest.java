package org.spherenet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spherenet.cli.CliTest.assertUserError;
import static org.spherenet.cli.CliTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spherenet experiment} and {@code spherenet report} from the command line. */
class ExperimentCommandTest {

    @Test
    void runsAStudyAtTinyScaleAndRendersTheReport(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        Object[] experiment = run("experiment", "learnable", "--scale", "tiny", "--results", results.toString(),
                "--runs", dir.resolve("runs").toString());
        assertThat(experiment[0]).as((String) experiment[2]).isEqualTo(0);
        assertThat((String) experiment[1]).contains("learnable-sigmoid", "report.md: written");
        assertThat(Files.readString(results.resolve("learnable/report.md")))
                .contains("spherenet experiment learnable --scale tiny", "## What this shows");
        assertThat(Files.readString(results.resolve("README.md"))).contains("(learnable/report.md)");

        // report only: nothing trained, the report rewritten from the runs that exist
        Object[] again = run("experiment", "learnable", "--scale", "tiny", "--report-only", "--results",
                results.toString(), "--runs", dir.resolve("no-runs-here").toString());
        assertThat(again[0]).as((String) again[2]).isEqualTo(0);
        assertThat((String) again[1]).contains("(recorded in results", "(4 of 4 runs)").contains("4 distinct runs planned, 4 finished.");
        assertThat(Files.exists(dir.resolve("no-runs-here"))).isFalse();

        Object[] report = run("report", "--results", results.toString());
        assertThat(report[0]).isEqualTo(0);
        assertThat((String) report[1]).contains("1 studies");
        assertThat(Files.readString(results.resolve("report.html"))).contains("<section id=\"learnable\">");
    }

    @Test
    void mistakesAreOneLineErrors(@TempDir Path dir) {
        String results = dir.resolve("results").toString();
        assertUserError(run("experiment", "everything", "--results", results), "unknown study 'everything'");
        assertUserError(run("experiment", "depth", "--scale", "huge", "--results", results), "unknown scale 'huge'");
        assertUserError(run("experiment", "depth", "--shard", "3/2", "--results", results), "shard must be I/N");
        assertUserError(run("experiment", "depth", "--budget-minutes", "0", "--results", results),
                "budget must be a positive number of minutes");
        assertUserError(run("experiment", "depth", "--seeds", "-1", "--results", results), "seeds must be >= 1");
        assertUserError(run("experiment", "depth", "--scale", "tiny", "--dataset", "imagenet99", "--results", results,
                "--runs", dir.resolve("runs").toString()), "imagenet99");
        assertUserError(run("report", "--results", results), "no study results");
    }
}
