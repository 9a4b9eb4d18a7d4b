package org.spherenet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.spherenet.train.RunCheckpoints;
import org.spherenet.train.RunFolder;
import org.spherenet.train.RunListeners;
import org.spherenet.train.Summary;
import org.spherenet.train.TrainConfig;
import org.spherenet.train.Training;
import org.spherenet.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spherenet train}: train a network, or resume a run. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a network. With no options: a SphereNet-9 (width 0.125) on Fashion-MNIST.",
            "Writes runs/<name>/: config.json, metrics.jsonl/csv, curves.png, checkpoint.bin, summary.json."
        })
final class TrainCommand implements Callable<Integer> {

    private static final TrainConfig DEFAULTS = new TrainConfig();

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in this folder from its last checkpoint.")
    Path resume;

    @Option(names = "--name", description = "Run name (default: model-operator-timestamp).")
    String name;

    @Option(names = "--runs", description = "Folder of runs (default: ${DEFAULT-VALUE}).")
    Path runs = Path.of("runs");

    @Option(names = "--model", description = "Network, see 'spherenet models' (default: ${DEFAULT-VALUE}).")
    String model = DEFAULTS.model;

    @Option(names = "--operator", description = "conv, linear, cosine, sigmoid(K), learnable-sigmoid (default: the model's).")
    String operator;

    @Option(names = "--classifier", description = "softmax, w-softmax, a-softmax, ga-softmax:G:M (default: ${DEFAULT-VALUE}).")
    String classifier = DEFAULTS.classifier;

    @Option(names = "--width", description = "Width multiplier of the paper's channels (default: ${DEFAULT-VALUE}).")
    double width = DEFAULTS.width;

    @Option(names = "--no-batch-norm", negatable = true, description = "BatchNorm after each conv (default: on).")
    boolean batchNorm = DEFAULTS.batchNorm;

    @Option(names = "--bn-style", description = "usual or authors (momentum 0.999, eps 1e-3, stats from 0) (default: ${DEFAULT-VALUE}).")
    String batchNormStyle = DEFAULTS.batchNormStyle;

    @Option(names = "--sphere-norm", description = "Normalise every conv as SphereNorm.")
    boolean sphereNorm;

    @Option(names = "--no-rescale", negatable = true, description = "SphereNorm learns a per-channel scale and shift (default: on).")
    boolean rescaled = DEFAULTS.sphereNormRescaled;

    @Option(names = "--no-fc6-bn", negatable = true, description = "BatchNorm on fc6 of the plain nets (default: on).")
    boolean fc6BatchNorm = DEFAULTS.fc6BatchNorm;

    @Option(names = "--dataset", description = "fashion-mnist, mnist, kmnist, cifar10, cifar100, image-folder (default: ${DEFAULT-VALUE}).")
    String dataset = DEFAULTS.dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder holding the dataset (default: search, then download).")
    Path data;

    @Option(names = "--fraction", description = "Share of the training set used (default: ${DEFAULT-VALUE}).")
    double fraction = DEFAULTS.dataFraction;

    @Option(names = "--augmentation", description = "none, flip, cifar-plus (default: ${DEFAULT-VALUE}).")
    String augmentation = DEFAULTS.augmentation;

    @Option(names = "--batch-size", description = "(default: ${DEFAULT-VALUE})")
    int batchSize = DEFAULTS.batchSize;

    @Option(names = "--iterations", description = "(default: ${DEFAULT-VALUE})")
    long iterations = DEFAULTS.iterations;

    @Option(names = "--optimizer", description = "adam or sgd (default: ${DEFAULT-VALUE}).")
    String optimizer = DEFAULTS.optimizer;

    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = DEFAULTS.learningRate;

    @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum = DEFAULTS.momentum;

    @Option(names = "--schedule", description = "step (the authors' /10 at 34/64 and 54/64) or cosine (default: ${DEFAULT-VALUE}).")
    String schedule = DEFAULTS.schedule;

    @Option(names = "--weight-decay", description = "(default: ${DEFAULT-VALUE})")
    double weightDecay = DEFAULTS.weightDecay;

    @Option(names = "--decay-mode", description = "authors (not on SphereConv kernels), global, none (default: ${DEFAULT-VALUE}).")
    String decayMode = DEFAULTS.weightDecayMode;

    @Option(names = "--orthogonality", description = "Orthogonality coefficient on SphereConv kernels (default: ${DEFAULT-VALUE}).")
    double orthogonality = DEFAULTS.orthogonality;

    @Option(names = "--label-smoothing", description = "(default: ${DEFAULT-VALUE}; the authors: 0.01)")
    double labelSmoothing = DEFAULTS.labelSmoothing;

    @Option(names = "--probability-floor", description = "(default: ${DEFAULT-VALUE}; the authors: 1e-4)")
    double probabilityFloor = DEFAULTS.probabilityFloor;

    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = DEFAULTS.seed;

    @Option(names = "--on-non-finite", paramLabel = "skip|stop",
            description = "A step with a NaN or infinite loss or gradient never updates the weights; skip drops the batch"
                    + " (counted as skipped steps), stop ends the run with an error, its last checkpoint intact (default: ${DEFAULT-VALUE}).")
    String onNonFinite = DEFAULTS.onNonFinite;

    @Option(names = "--dtype", paramLabel = "float32|float64",
            description = "Data type of weights, activations and optimiser state; float64 is what bench/parity.sh checks (default: ${DEFAULT-VALUE}).")
    String dataType = DEFAULTS.dataType;

    @Option(names = "--eval-every", description = "Iterations between evaluations (default: ${DEFAULT-VALUE}).")
    long evalEvery = DEFAULTS.evalEvery;

    @Option(names = "--checkpoint-every", description = "Iterations between checkpoints (default: ${DEFAULT-VALUE}).")
    long checkpointEvery = DEFAULTS.checkpointEvery;

    @Option(names = "--eval-limit", description = "Evaluate on at most this many test images, 0 = all (default: ${DEFAULT-VALUE}).")
    int evalLimit = DEFAULTS.evalLimit;

    @Option(names = "--gradient-log-every", description = "Iterations between rows of gradients.jsonl, per-layer gradient norms; 0 = off (default: ${DEFAULT-VALUE}).")
    long gradientLogEvery = DEFAULTS.gradientLogEvery;

    @Override
    public Integer call() throws Exception {
        if (resume != null) {
            try (RunFolder folder = RunFolder.open(resume)) {
                TrainConfig config = folder.config();
                config.validate();
                try (Training training = newTraining(config, folder.dir())) {
                    RunCheckpoints.Restored restored = training.resume();
                    if (restored == null) {
                        System.err.println("spherenet: " + folder.dir() + ": no checkpoint yet, starting from iteration 0");
                    } else {
                        warnIfFallenBack(restored);
                    }
                    return train(training, folder);
                }
            }
        }
        TrainConfig config = config();
        config.validate();
        Path dir = runs.resolve(name != null ? name : defaultName(config));
        RunFolder.requireNew(dir);
        // read the data and build the network before anything is written
        try (Training training = newTraining(config, dir);
                RunFolder folder = RunFolder.create(dir, config)) {
            return train(training, folder);
        }
    }

    /** One line on stderr when the latest checkpoint was damaged and the previous one used. */
    static void warnIfFallenBack(RunCheckpoints.Restored restored) {
        if (restored.warning() != null) {
            System.err.println("spherenet: warning: " + restored.warning());
        }
    }

    private static Training newTraining(TrainConfig config, Path dir) throws java.io.IOException {
        List<TrainingListener> listeners = new ArrayList<>(RunListeners.standard(dir, config));
        listeners.add(Progress.create());
        return new Training(config, dir, listeners);
    }

    private int train(Training training, RunFolder folder) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            training.stop(); // Ctrl-C: finish the step, write a checkpoint, then exit
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        Summary summary;
        try {
            summary = training.run();
            folder.writeSummary(summary);
        } finally {
            done.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what stopped us; the JVM exits once it returns
        }
        if (!summary.finished()) {
            System.out.printf("%s: stopped at iteration %d (checkpoint written); continue with"
                    + " 'spherenet train --resume %s'%n", folder.dir(), summary.iterations(), folder.dir());
            return 130;
        }
        System.out.printf("%s: %d iterations, test accuracy %.2f%% (best %.2f%% at %d), %.0f s%s%n",
                folder.dir(), summary.iterations(), 100 * summary.finalTestAccuracy(),
                100 * summary.bestTestAccuracy(), summary.bestIteration(), summary.elapsedSeconds(),
                summary.skippedSteps() == 0 ? ""
                        : ", " + summary.skippedSteps() + " steps skipped (non-finite loss or gradient)");
        return 0;
    }

    private TrainConfig config() {
        TrainConfig c = new TrainConfig();
        c.model = model;
        c.operator = operator;
        c.classifier = classifier;
        c.width = width;
        c.batchNorm = batchNorm;
        c.batchNormStyle = batchNormStyle;
        c.sphereNorm = sphereNorm;
        c.sphereNormRescaled = rescaled;
        c.fc6BatchNorm = fc6BatchNorm;
        c.dataset = dataset;
        c.dataDir = data == null ? null : data.toAbsolutePath().toString();
        c.dataFraction = fraction;
        c.augmentation = augmentation;
        c.batchSize = batchSize;
        c.iterations = iterations;
        c.optimizer = optimizer;
        c.learningRate = learningRate;
        c.momentum = momentum;
        c.schedule = schedule;
        c.weightDecay = weightDecay;
        c.weightDecayMode = decayMode;
        c.orthogonality = orthogonality;
        c.labelSmoothing = labelSmoothing;
        c.probabilityFloor = probabilityFloor;
        c.seed = seed;
        c.onNonFinite = onNonFinite;
        c.dataType = dataType;
        c.evalEvery = evalEvery;
        c.checkpointEvery = checkpointEvery;
        c.evalLimit = evalLimit;
        c.gradientLogEvery = gradientLogEvery;
        return c;
    }

    private static String defaultName(TrainConfig config) {
        String op = config.operator().toString().replaceAll("[^a-z0-9.]+", "");
        return config.model + "-" + op + "-" + java.time.LocalDateTime.now()
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }
}
