package org.spherenet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spherenet.cli.CliTest.assertUserError;
import static org.spherenet.cli.CliTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spherenet.train.Metrics;
import org.spherenet.train.MetricsLog;
import org.spherenet.train.ResumeSettings;
import org.spherenet.train.RunFolder;
import org.spherenet.train.TrainConfig;

/** What {@code train --resume} does with a finished run and with options beside it. */
class ResumeTest {

    private static String[] tiny(Path runs, String name, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--runs", runs.toString(), "--name", name,
                "--width", "0.0625", "--fraction", "0.05", "--batch-size", "32", "--eval-limit", "100",
                "--iterations", "10", "--eval-every", "5", "--checkpoint-every", "5"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** Every file under {@code dir}, by relative path, with the SHA-256 of its bytes. */
    static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                hashes.put(dir.relativize(f).toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        return hashes;
    }

    private static Object[] resume(Path run, String... options) {
        List<String> args = new ArrayList<>(List.of("train", "--resume", run.toString()));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    @Test
    void aFinishedRunResumedSaysSoInOneLineAndChangesNoByte(@TempDir Path runs) throws Exception {
        Object[] first = run(tiny(runs, "done"));
        assertThat(first[0]).as((String) first[2]).isEqualTo(0);
        Path run = runs.resolve("done");
        Map<String, String> before = hashes(run);

        Object[] again = resume(run);
        assertThat(again[0]).isEqualTo(0);
        assertThat(((String) again[1]).strip()).matches(
                "\\Q" + run + "\\E: already finished: 10 iterations, test accuracy \\d+\\.\\d\\d% \\(best \\d+\\.\\d\\d% at"
                        + " (5|10)\\), \\d+ s; nothing to resume");
        assertThat(hashes(run)).isEqualTo(before);

        // an option that may change, but nothing is left to run: said, and still nothing written
        Object[] withOption = resume(run, "--eval-every", "2");
        assertThat(withOption[0]).isEqualTo(0);
        assertThat((String) withOption[1]).contains("nothing to resume, so --eval-every changed nothing");
        assertThat(hashes(run)).isEqualTo(before);
        assertThat(Files.readString(run.resolve(RunFolder.SUMMARY))).doesNotContain("NaN").doesNotContain("null");
    }

    @Test
    void anUnreadableSummaryIsRewrittenFromTheLastCheckpointAndTheLog(@TempDir Path runs) throws Exception {
        run(tiny(runs, "damaged"));
        Path run = runs.resolve("damaged");
        Path summary = run.resolve(RunFolder.SUMMARY);
        org.spherenet.train.Summary written = RunFolder.readSummary(run);
        Files.writeString(summary, "{\"iterations\" : 10, \"finished\" : tr");
        Object[] again = resume(run);
        assertThat(again[0]).as((String) again[2]).isEqualTo(0);
        assertThat((String) again[2]).contains("spherenet: warning: " + summary + ": unreadable summary");
        assertThat(RunFolder.readSummary(run)).usingRecursiveComparison().ignoringFields("elapsedSeconds")
                .isEqualTo(written);
    }

    @Test
    void optionsThatCannotChangeAreRefusedInOneLineNamingThemAndNothingIsWritten(@TempDir Path runs)
            throws Exception {
        run(tiny(runs, "fixed"));
        Path run = runs.resolve("fixed");
        Map<String, String> before = hashes(run);
        assertUserError(resume(run, "--lr", "0.5"), "--lr cannot change when a run is resumed");
        assertUserError(resume(run, "--model", "cnn9", "--seed", "3", "--eval-every", "2"),
                "--model, --seed cannot change when a run is resumed");
        assertUserError(resume(run, "--batch-size", "16"), "--batch-size cannot change");
        assertUserError(resume(run, "--data", runs.toString()), "--data cannot change");
        assertUserError(resume(run, "--schedule", "constant"), "--schedule cannot change");
        assertUserError(resume(run, "--name", "other"), "--name cannot change");
        assertUserError(resume(run, "--iterations", "20"),
                "iterations cannot change when a run with the cosine schedule is resumed");
        assertThat(hashes(run)).isEqualTo(before);
    }

    @Test
    void changedSettingsHoldFromTheResumedIterationAndAreRecordedInTheConfig(@TempDir Path runs) throws Exception {
        run(tiny(runs, "extended", "--schedule", "constant"));
        Path run = runs.resolve("extended");
        assertUserError(resume(run, "--iterations", "8"), "iterations can only grow when a run is resumed (it plans 10), got 8");

        Object[] longer = resume(run, "--iterations", "16", "--eval-every", "3");
        assertThat(longer[0]).as((String) longer[2]).isEqualTo(0);
        assertThat((String) longer[1]).contains(run + ": 16 iterations, test accuracy");
        assertThat(MetricsLog.read(run)).extracting(Metrics::iteration).containsExactly(5L, 10L, 12L, 15L, 16L);
        TrainConfig config = RunFolder.readConfig(run);
        assertThat(config.iterations).isEqualTo(16);
        assertThat(config.evalEvery).isEqualTo(3);
        assertThat(config.changedOnResume).containsExactly(
                new ResumeSettings.Change(10, "evalEvery", 5, 3),
                new ResumeSettings.Change(10, "iterations", 10, 16));
        assertThat(RunFolder.readSummary(run).iterations()).isEqualTo(16);
        assertThat(RunFolder.readSummary(run).finished()).isTrue();

        Map<String, String> before = hashes(run);
        assertThat(resume(run)[0]).isEqualTo(0);
        assertThat(hashes(run)).isEqualTo(before);
    }

    @Test
    void everySettingIsFixedUnlessTheTableSaysOtherwiseAndEachChangeableOneHasItsOption() {
        // the table names real settings; anything new is fixed until it is added there
        List<String> options = new picocli.CommandLine(new TrainCommand()).getCommandSpec().options().stream()
                .map(TrainCommand::setting).toList();
        for (String setting : ResumeSettings.CHANGEABLE) {
            assertThat(TrainConfig.class.getFields()).extracting(java.lang.reflect.Field::getName).contains(setting);
            assertThat(options).as("an option of train sets " + setting).contains(setting);
        }
        assertThat(ResumeSettings.isChangeable("model")).isFalse();
        assertThat(ResumeSettings.isChangeable("learningRate")).isFalse();
    }
}
