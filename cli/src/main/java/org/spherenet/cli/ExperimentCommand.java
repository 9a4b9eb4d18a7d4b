package org.spherenet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.spherenet.experiment.Budget;
import org.spherenet.experiment.Experiment;
import org.spherenet.experiment.Scale;
import org.spherenet.experiment.Shard;
import org.spherenet.experiment.Studies;
import org.spherenet.experiment.Study;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spherenet experiment}: run a study of the paper's claims and write its report. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run a study that checks claims of the paper; writes results/NAME/ (report.md, results.json, plots),"
                    + " a record per finished run in results/trials/, and the index results/README.md.",
            "Studies, in the schedule's order: operators, losses, convergence, depth, width, normalisation,"
                    + " learnable, conditioning; 'all' runs them in that order.",
            "A run that finished earlier (in --runs, or recorded in --results) is read back, not trained again,"
                    + " so an interrupted or budget-limited experiment continues with the missing runs only."
        })
public class ExperimentCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The study, or 'all'.")
    String name;

    @Option(names = "--scale", description = "standard (the main job's recipe at six epochs, 3 seeds: the verdicts), quick"
            + " (short runs, 1 seed: indicative only), tiny (seconds, for tests), paper (the authors' sizes, for a"
            + " GPU) (default: ${DEFAULT-VALUE}).")
    String scale = "standard";

    @Option(names = "--dataset", description = "Dataset (default: fashion-mnist; cifar10 at paper scale).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder holding the dataset (default: search, then download).")
    Path data;

    @Option(names = "--seeds", description = "Runs per setting (default: 3 at standard and paper scale, else 1).")
    int seeds;

    @Option(names = "--shard", paramLabel = "I/N", description = "Train only this share of the runs (a fixed split"
            + " by run); a shard of several writes run records but no report: use --report-only after (default: all runs).")
    String shard;

    @Option(names = "--report-only", description = "Train nothing: write the report from the runs that exist and"
            + " list the missing ones (default: off).")
    boolean reportOnly;

    @Option(names = "--budget-minutes", paramLabel = "M", description = "Start no run after M minutes (the run in"
            + " progress finishes); the reports then say which runs are missing (default: no limit).")
    Double budgetMinutes;

    @Option(names = "--results", description = "Folder of study results (default: results at standard scale,"
            + " results/SCALE at the others, so that no scale's reports replace another's).")
    Path results;

    @Option(names = "--runs", description = "Folder of the studies' training runs (default: ${DEFAULT-VALUE}).")
    Path runs = Path.of("runs", "experiments");

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws Exception {
        threads.apply();
        Scale chosen = Scale.parse(scale);
        if (seeds < 0) {
            throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        }
        Shard share = shard == null ? Shard.ALL : Shard.parse(shard);
        Budget budget = budgetMinutes == null ? Budget.unlimited() : Budget.minutes(budgetMinutes);
        Path resultsDir = results != null ? results
                : chosen == Scale.STANDARD ? Path.of("results") : Path.of("results", chosen.toString());
        List<Study> studies = name.equals("all") ? Studies.all() : List.of(Studies.get(name));
        List<String> command = new ArrayList<>(List.of("spherenet", "experiment", "STUDY", "--scale", chosen.toString()));
        if (dataset != null) {
            command.addAll(List.of("--dataset", dataset));
        }
        if (seeds > 0) {
            command.addAll(List.of("--seeds", String.valueOf(seeds)));
        }
        Set<String> planned = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        for (Study study : studies) {
            command.set(2, study.name());
            Experiment.Options options = new Experiment.Options(chosen, dataset,
                    data == null ? null : data.toAbsolutePath().toString(), seeds, resultsDir, runs,
                    String.join(" ", command), share, reportOnly, budget);
            if (!reportOnly) {
                beforeStudy(study, options);
            }
            Experiment.RunNames names = Experiment.run(study, options, System.out).runs();
            planned.addAll(names.planned());
            missing.addAll(names.missing());
        }
        // studies share runs: count each once
        System.out.printf("%d distinct runs planned, %d finished%s.%n", planned.size(), planned.size() - missing.size(),
                missing.isEmpty() ? "" : String.format("; %d still missing%s: the same command continues with them",
                        missing.size(), budget.spent() ? " (budget spent)" : reportOnly ? " (report only)"
                                : share.isWhole() ? "" : " (some are other shards')"));
        return 0;
    }

    /**
     * A hook for commands that train elsewhere (the Spark module's {@code experiment --spark}):
     * called before a study runs; the runs it finishes there are read back, not trained again.
     * Does nothing here.
     */
    protected void beforeStudy(Study study, Experiment.Options options) throws java.io.IOException {}
}
