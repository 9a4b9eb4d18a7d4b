package org.spherenet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.spherenet.experiment.Experiment;
import org.spherenet.experiment.Scale;
import org.spherenet.experiment.Studies;
import org.spherenet.experiment.Study;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spherenet experiment}: run a study of the paper's claims and write its report. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run a study that checks one of the paper's claims; writes results/NAME/ (report.md, results.json,"
                    + " plots) and the index results/README.md.",
            "Studies: operators-losses, convergence, depth, width, normalisation, learnable, conditioning, or all.",
            "Runs are kept in --runs and reused when a study (or another one) needs the same run again, so an"
                    + " interrupted experiment continues where it stopped."
        })
public class ExperimentCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The study, or 'all'.")
    String name;

    @Option(names = "--scale", description = "tiny (seconds), cpu (up to about an hour per study on 2 cores), paper"
            + " (the authors' sizes, for a GPU) (default: ${DEFAULT-VALUE}).")
    String scale = "cpu";

    @Option(names = "--dataset", description = "Dataset (default: fashion-mnist; cifar10 at paper scale).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder holding the dataset (default: search, then download).")
    Path data;

    @Option(names = "--seeds", description = "Runs per setting (default: 1, 3 at paper scale).")
    int seeds;

    @Option(names = "--results", description = "Folder of study results (default: ${DEFAULT-VALUE}).")
    Path results = Path.of("results");

    @Option(names = "--runs", description = "Folder of the studies' training runs (default: ${DEFAULT-VALUE}).")
    Path runs = Path.of("runs", "experiments");

    @Override
    public Integer call() throws Exception {
        Scale chosen = Scale.parse(scale);
        if (seeds < 0) {
            throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        }
        List<Study> studies = name.equals("all") ? Studies.all() : List.of(Studies.get(name));
        List<String> command = new ArrayList<>(List.of("spherenet", "experiment", "STUDY", "--scale", scale));
        if (dataset != null) {
            command.addAll(List.of("--dataset", dataset));
        }
        if (seeds > 0) {
            command.addAll(List.of("--seeds", String.valueOf(seeds)));
        }
        for (Study study : studies) {
            command.set(2, study.name());
            Experiment.Options options = new Experiment.Options(chosen, dataset,
                    data == null ? null : data.toAbsolutePath().toString(), seeds, results, runs,
                    String.join(" ", command));
            beforeStudy(study, options);
            Experiment.run(study, options, System.out);
        }
        return 0;
    }

    /**
     * A hook for commands that train elsewhere (the Spark module's {@code experiment --spark}):
     * called before a study runs; the runs it finishes there are read back, not trained again.
     * Does nothing here.
     */
    protected void beforeStudy(Study study, Experiment.Options options) throws java.io.IOException {}
}
