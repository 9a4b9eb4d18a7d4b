package org.spherenet.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every study runs at tiny scale on the real Fashion-MNIST (Debian's dataset-fashion-mnist) and
 * writes a well-formed report: its sections, tables and plots, a results.json with a verdict and
 * every run, the index, and an HTML page without external assets. Then the same experiment again
 * reuses every run instead of training.
 */
class StudiesTinyScaleTest {

    private static final Pattern IMAGE = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)");

    @Test
    void everyStudyWritesAWellFormedReportAndRunsAreReused(@TempDir Path root) throws Exception {
        Path results = root.resolve("results");
        Path runs = root.resolve("runs");
        for (Study study : Studies.all()) {
            Experiment.run(study, options(results, runs, study), quiet());
        }

        for (Study study : Studies.all()) {
            Path dir = results.resolve(study.name());
            String report = Files.readString(dir.resolve(Experiment.REPORT));
            assertThat(report).as(study.name())
                    .startsWith("# " + study.title() + "\n")
                    .contains("**The claim.**", "**Scale: tiny (indicative only).**", "**Beside the paper.**", "## What this shows", "## How this was made",
                            "spherenet experiment " + study.name() + " --scale tiny", "| --- |");
            Matcher image = IMAGE.matcher(report);
            while (image.find()) {
                byte[] png = Files.readAllBytes(dir.resolve(image.group(1)));
                assertThat(png).as(image.group(1)).startsWith(0x89, 'P', 'N', 'G');
            }
            assertThat(report).as(study.name()).doesNotContain("Partial");
            JsonNode json = ResultsIndex.read(dir);
            assertThat(json.path("study").asText()).isEqualTo(study.name());
            assertThat(json.path("findings").path("verdict").asText()).as(study.name()).isNotBlank();
            assertThat(json.path("trials").size()).as(study.name()).isPositive();
            for (JsonNode trial : json.path("trials")) {
                assertThat(trial.path("testAccuracy").asDouble()).isBetween(0.0, 1.0);
                assertThat(Files.isDirectory(runs.resolve(trial.path("run").asText()))).isTrue();
            }
        }
        assertThat(Files.readString(results.resolve(ResultsIndex.FILE)))
                .contains(Studies.all().stream().map(s -> "(" + s.name() + "/report.md)").toArray(String[]::new));
        JsonNode operators = ResultsIndex.read(results.resolve("operators"));
        assertThat(operators.path("trials").size()).isEqualTo(OperatorsStudy.OPERATORS.size());
        assertThat(operators.path("complete").asBoolean()).isTrue();
        // one seed a side: every check is undecided, none is a verdict
        assertThat(operators.path("checks").size()).isPositive();
        for (JsonNode check : operators.path("checks")) {
            assertThat(check.path("verdict").asText()).isEqualTo("undecided");
        }

        Path page = root.resolve("report.html");
        assertThat(ReportHtml.write(results, page)).isEqualTo(Studies.all().size());
        // every run also has its record beside the studies, named by its run folder
        assertThat(Files.list(results.resolve(TrialStore.FOLDER)).count())
                .isEqualTo(Files.list(runs).filter(Files::isDirectory).count());
        // each says what trained it, the SphereConv kernels included
        try (Stream<Path> records = Files.list(results.resolve(TrialStore.FOLDER))) {
            for (Path record : records.toList()) {
                assertThat(Experiment.JSON.readTree(record.toFile()).path("software")
                        .path("sphereconv").asText()).as(record.toString()).isNotEmpty();
            }
        }
        String html = Files.readString(page);
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n")
                .contains("src=\"data:image/png;base64,", "<table>", "<section id=\"conditioning\">",
                        "href=\"#depth\"")
                .doesNotContain("src=\"http", "href=\"http", "<script", "src=\"\"");

        // a second experiment trains nothing: every run is read back
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Study width = Studies.get("width");
        Experiment.run(width, options(results, runs, width), new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().filter(l -> l.contains("%")).count()).isEqualTo(6);
        assertThat(text).contains("(6 of 6 runs)");
        assertThat(text.lines().filter(l -> l.contains("%")).allMatch(l -> l.contains("(earlier run"))).isTrue();
    }

    private static Experiment.Options options(Path results, Path runs, Study study) {
        return new Experiment.Options(Scale.TINY, null, null, 0, results, runs,
                "spherenet experiment " + study.name() + " --scale tiny");
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
