package org.spherenet.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spherenet.train.TrainConfig;

/**
 * Studies that span processes, machines and sessions: shards split the runs without overlap,
 * report-only trains nothing and lists what is missing, a spent budget starts no run, and a fresh
 * machine without the run folders counts the runs recorded in the results as done.
 */
class ExperimentScheduleTest {

    /** Two tiny cells (conv and linear SphereNet-9), two seeds: four runs. */
    private static final class TwoCells implements Study {

        @Override
        public String name() {
            return "two-cells";
        }

        @Override
        public String title() {
            return "Two cells";
        }

        @Override
        public String claim() {
            return "linear beats conv";
        }

        @Override
        public List<Cell> cells(StudyContext context) {
            List<Cell> cells = new ArrayList<>();
            for (String op : List.of("conv", "linear")) {
                TrainConfig c = context.base();
                c.operator = op;
                cells.add(new Cell(op, c));
            }
            return cells;
        }

        @Override
        public void report(StudyContext context) {
            context.checks("Checks", "linear minus conv", List.of(new Check("linear minus conv", "+0.79", 1,
                    Comparison.of(context.runs("linear"), context.runs("conv")))));
            context.conclude(Check.tally(context.checks()), List.of());
        }
    }

    private static Experiment.Options options(Path root, Path runs, Shard shard, boolean reportOnly, Budget budget) {
        return new Experiment.Options(Scale.TINY, null, null, 2, root.resolve("results"), runs,
                "spherenet experiment two-cells --scale tiny --seeds 2", shard, reportOnly, budget);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void shardsSplitTheRunsThenReportOnlyJoinsThem(@TempDir Path root) throws Exception {
        Study study = new TwoCells();
        Path runs = root.resolve("runs");
        Experiment.Outcome first = Experiment.run(study, options(root, runs, new Shard(1, 2), false,
                Budget.unlimited()), quiet());
        Experiment.Outcome second = Experiment.run(study, options(root, runs.resolveSibling("other-machine"),
                new Shard(2, 2), false, Budget.unlimited()), quiet());
        // each shard trained its own runs, on its own machine; together all four, none twice
        assertThat(first.trained() + second.trained()).isEqualTo(4);
        assertThat(first.reportWritten()).isFalse();
        assertThat(Files.exists(root.resolve("results/two-cells/report.md"))).isFalse();
        assertThat(second.finished()).isEqualTo(4); // the first shard's records count as done

        // report only, on a third machine without any run folder: trains nothing, finds all four
        Path fresh = root.resolve("fresh-machine");
        Experiment.Outcome report = Experiment.run(study, options(root, fresh, Shard.ALL, true, Budget.unlimited()),
                quiet());
        assertThat(report.trained()).isZero();
        assertThat(report.complete()).isTrue();
        assertThat(Files.exists(fresh)).isFalse();
        JsonNode json = ResultsIndex.read(root.resolve("results/two-cells"));
        assertThat(json.path("complete").asBoolean()).isTrue();
        assertThat(json.path("trials").size()).isEqualTo(4);
        assertThat(json.path("checks").get(0).path("method").asText()).isEqualTo("paired t");
        assertThat(Files.readString(root.resolve("results/two-cells/report.md"))).doesNotContain("Partial");
    }

    @Test
    void reportOnlyAndASpentBudgetTrainNothingAndListTheMissingRuns(@TempDir Path root) throws Exception {
        Study study = new TwoCells();
        Path runs = root.resolve("runs");
        Experiment.Outcome empty = Experiment.run(study, options(root, runs, Shard.ALL, true, Budget.unlimited()), quiet());
        assertThat(empty.trained()).isZero();
        assertThat(empty.missing()).containsExactly("conv (seed 1)", "linear (seed 1)", "conv (seed 2)", "linear (seed 2)");
        String report = Files.readString(root.resolve("results/two-cells/report.md"));
        assertThat(report).contains("**Partial study: 0 of 4 runs finished", "- conv: seeds 1, 2", "not run yet",
                "Partial (0 of 4 runs), provisional:");
        assertThat(ResultsIndex.read(root.resolve("results/two-cells")).path("complete").asBoolean()).isFalse();
        assertThat(Files.readString(root.resolve("results/README.md"))).contains("0 of 4 (partial)");

        Budget spent = Budget.minutes(1e-9);
        Thread.sleep(1);
        assertThat(spent.spent()).isTrue();
        assertThat(Experiment.run(study, options(root, runs, Shard.ALL, false, spent), quiet()).trained()).isZero();
        assertThat(Files.exists(runs)).isFalse();
    }

    @Test
    void thePlanOfAShardHoldsItsOwnRunsOnly(@TempDir Path root) throws Exception {
        Study study = new TwoCells();
        Path runs = root.resolve("runs");
        List<String> all = ids(Experiment.plan(study, options(root, runs, Shard.ALL, false, Budget.unlimited())));
        List<String> first = ids(Experiment.plan(study, options(root, runs, new Shard(1, 2), false, Budget.unlimited())));
        List<String> second = ids(Experiment.plan(study, options(root, runs, new Shard(2, 2), false, Budget.unlimited())));
        assertThat(all).hasSize(4);
        assertThat(first).allMatch(new Shard(1, 2)::owns).doesNotContainAnyElementsOf(second);
        assertThat(Stream.concat(first.stream(), second.stream())).containsExactlyInAnyOrderElementsOf(all);
    }

    private static List<String> ids(List<TrainConfig> configs) throws IOException {
        List<String> ids = new ArrayList<>();
        for (TrainConfig c : configs) {
            ids.add(TrialRunner.id(c));
        }
        return ids;
    }

    @Test
    void aBudgetTellsItsDeadlineOnTheWallClock() {
        long before = System.currentTimeMillis();
        long deadline = Budget.minutes(1).deadlineMillis();
        assertThat(deadline).isBetween(before + 59_000, System.currentTimeMillis() + 60_000);
        assertThat(Budget.unlimited().deadlineMillis()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aFreshMachineContinuesWithTheMissingRunsOnly(@TempDir Path root) throws Exception {
        Study study = new TwoCells();
        // session 1: half the runs (shard 1 of 2 stands in for a session stopped by its budget)
        Experiment.run(study, options(root, root.resolve("runs1"), new Shard(1, 2), false, Budget.unlimited()), quiet());
        Set<String> recorded = records(root);
        // session 2 on a fresh machine: trains exactly the others
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Experiment.Outcome second = Experiment.run(study, options(root, root.resolve("runs2"), Shard.ALL, false,
                Budget.unlimited()), new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(second.trained()).isEqualTo(4 - recorded.size());
        assertThat(second.complete()).isTrue();
        assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("(recorded in results")).count())
                .isEqualTo(recorded.size());
        // the study's results.json alone (no trials/ folder) also counts as a record of its runs
        try (Stream<Path> files = Files.list(root.resolve("results").resolve(TrialStore.FOLDER))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Experiment.Outcome third = Experiment.run(study, options(root, root.resolve("runs3"), Shard.ALL, false,
                Budget.unlimited()), quiet());
        assertThat(third.trained()).isZero();
        assertThat(third.complete()).isTrue();
    }

    private static Set<String> records(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("results").resolve(TrialStore.FOLDER))) {
            return new HashSet<>(files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void theCommittedQuickResultsCountAsDone(@TempDir Path root) throws Exception {
        // the repository's quick results (made before run records existed: only the studies' results.json)
        Path committed = Path.of("..", "results", "quick");
        Path results = root.resolve("results");
        for (Path dir : ResultsIndex.studyFolders(committed)) {
            Files.createDirectories(results.resolve(dir.getFileName()));
            Files.copy(dir.resolve(Experiment.RESULTS), results.resolve(dir.getFileName()).resolve(Experiment.RESULTS));
        }
        for (String name : List.of("operators", "losses", "width", "normalisation")) {
            Experiment.Outcome o = Experiment.run(Studies.get(name), new Experiment.Options(Scale.QUICK, null, null, 0,
                    results, root.resolve("runs"), "spherenet experiment " + name + " --scale quick", Shard.ALL, true,
                    Budget.unlimited()), quiet());
            assertThat(o.missing()).as(name).isEmpty();
            assertThat(o.trained()).isZero();
        }
        // and the runs keep the names their folders had: a runs/ cache made before stays usable
        for (JsonNode trial : ResultsIndex.read(committed.resolve("width")).path("trials")) {
            TrainConfig config = Experiment.JSON.convertValue(trial.path("config"), TrainConfig.class);
            assertThat(TrialRunner.id(config)).isEqualTo(trial.path("run").asText());
        }
    }

    @Test
    void everyRunBelongsToExactlyOneShard() {
        for (String run : List.of("spherenet9-0a1b2c3d4e5f", "cnn9-ffffffffffff", "spherenet38-000000000001",
                "spherenet9-0a1b2c3d4e5f-123456abcdef")) {
            for (int n = 1; n <= 5; n++) {
                int owners = 0;
                for (int i = 1; i <= n; i++) {
                    owners += new Shard(i, n).owns(run) ? 1 : 0;
                }
                assertThat(owners).as("%s among %d shards", run, n).isEqualTo(1);
            }
        }
        assertThat(Shard.parse(" 2/3 ")).isEqualTo(new Shard(2, 3));
        assertThatThrownBy(() -> Shard.parse("3/2")).hasMessageContaining("shard must be I/N");
        assertThatThrownBy(() -> Shard.parse("x")).hasMessageContaining("shard must be I/N");
        assertThatThrownBy(() -> Budget.minutes(0)).hasMessageContaining("budget must be");
    }

    @Test
    void aRunsNameIgnoresWhereTheDataLives() throws Exception {
        TrainConfig a = new TrainConfig();
        TrainConfig b = new TrainConfig();
        b.dataDir = "/somewhere/else";
        assertThat(TrialRunner.id(a)).isEqualTo(TrialRunner.id(b));
        b.seed = 2;
        assertThat(TrialRunner.id(a)).isNotEqualTo(TrialRunner.id(b));
    }
}
