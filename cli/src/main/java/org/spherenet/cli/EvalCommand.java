package org.spherenet.cli;

import ai.djl.training.dataset.Dataset.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.spherenet.data.Datasets;
import org.spherenet.data.ImageDataset;
import org.spherenet.train.Evaluation;
import org.spherenet.train.RunFolder;
import org.spherenet.train.TrainConfig;
import org.spherenet.train.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spherenet eval}: a run's checkpoint on a test set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a run's checkpoint: accuracy, per-class accuracy, confusion matrix.")
final class EvalCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "The run folder.")
    Path runDir;

    @Option(names = "--dataset", description = "Dataset (default: the run's).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = {"Folder holding the dataset (default: the run's, then search).",
            "An image folder is evaluated on its val/ or test/ part, or on the part the run's --val-fraction and --seed hold out."})
    Path data;

    @Override
    public Integer call() throws Exception {
        TrainConfig config = RunFolder.readConfig(runDir);
        String name = dataset != null ? dataset : config.dataset;
        Path runData = config.dataDir == null ? null : Path.of(config.dataDir).normalize();
        Path dir = data != null ? data.toAbsolutePath().normalize() : runData;
        try (TrainedModel model = TrainedModel.load(runDir)) {
            TrainCommand.warnIfFallenBack(model.restored());
            ImageDataset test = Datasets.open(name, Usage.TEST, dir, null, 1, config.valFraction, config.seed, 256);
            if (name.equals(config.dataset) && Objects.equals(dir, runData)) {
                config.checkHeldOut(test); // the run's own folder: the images it was evaluated on
            }
            if (test.getClassNames().size() != model.info().classNames().size()) {
                throw new IllegalArgumentException(name + " has " + test.getClassNames().size()
                        + " classes, the model " + model.info().classNames().size());
            }
            Evaluation result = Evaluation.of(model::logits, test, 0);
            print(result, model.info().classNames());
        }
        return 0;
    }

    private static void print(Evaluation result, List<String> names) {
        System.out.printf("accuracy %.2f%%%n%n", 100 * result.accuracy());
        System.out.printf("%-14s %9s   confusion (rows: true, columns: predicted)%n", "class", "accuracy");
        long[][] confusion = result.confusion();
        for (int c = 0; c < confusion.length; c++) {
            StringBuilder row = new StringBuilder();
            for (long n : confusion[c]) {
                row.append(String.format("%6d", n));
            }
            System.out.printf("%-14s %8.2f%%  %s%n", names.get(c), 100 * result.classAccuracy(c), row);
        }
    }
}
