package org.spherenet.cli;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.spherenet.train.ResumeSettings;
import org.spherenet.train.RunCheckpoints;
import org.spherenet.train.RunFolder;
import org.spherenet.train.RunFolderException;
import org.spherenet.train.RunListeners;
import org.spherenet.train.Summary;
import org.spherenet.train.TrainConfig;
import org.spherenet.train.Training;
import org.spherenet.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spherenet train}: train a network, or resume a run. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a network. With no options: a SphereNet-9 (width 0.125) on Fashion-MNIST.",
            "Writes runs/<name>/: config.json, metrics.jsonl/csv, curves.png, checkpoint.bin, summary.json.",
            "--resume continues a run as its config.json says; it may change only --iterations (to extend a run"
                    + " with the constant schedule), --eval-every, --checkpoint-every, --gradient-log-every and"
                    + " --on-non-finite, recorded in config.json from the iteration it resumes at. A finished run"
                    + " is left as it is."
        })
public class TrainCommand implements Callable<Integer> {

    private static final TrainConfig DEFAULTS = new TrainConfig();

    @Spec
    CommandSpec spec;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in this folder from its last checkpoint (default: start a new run).")
    Path resume;

    @Option(names = "--name", description = "Run name (default: model-operator-timestamp).")
    String name;

    @Option(names = "--runs", description = "Folder of runs (default: ${DEFAULT-VALUE}).")
    Path runs = Path.of("runs");

    @Mixin
    ThreadsOption threads = new ThreadsOption();

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

    @Option(names = "--sphere-norm", description = "Normalise every conv as SphereNorm (default: off).")
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

    @Option(names = "--val-fraction", description = "image-folder without val/ or test/: share of each class held out"
            + " for evaluation, never trained on, chosen by --seed (default: ${DEFAULT-VALUE}).")
    double valFraction = DEFAULTS.valFraction;

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

    @Option(names = "--schedule", description = "step (the authors' /10 at 34/64 and 54/64), cosine or constant (default: ${DEFAULT-VALUE}).")
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
        threads.apply();
        if (resume != null) {
            return resume();
        }
        TrainConfig config = config();
        config.validate();
        Path dir = runs.resolve(name != null ? name : defaultName(config));
        RunFolder.requireNew(dir);
        // read the data and build the network before anything is written
        try (Training training = newTraining(config, dir);
                RunFolder folder = RunFolder.create(dir, recordHeldOut(config, training))) {
            return train(training, folder);
        }
    }

    /** Records in config.json which images the run is tested on (image-folder), for --resume and eval to check. */
    private static TrainConfig recordHeldOut(TrainConfig config, Training training) {
        config.heldOut = training.heldOut();
        if (config.heldOut != null) {
            System.err.println("spherenet: testing on " + config.heldOut + ", never trained on");
        }
        return config;
    }

    /**
     * Continues the run in {@link #resume}. Options given beside {@code --resume} change its
     * settings where {@link ResumeSettings} allows it; the others are refused. A finished run is
     * left untouched, byte for byte.
     */
    private int resume() throws Exception {
        try (RunFolder folder = RunFolder.open(resume)) {
            TrainConfig stored = folder.config();
            TrainConfig config = ResumeSettings.apply(stored, config(), resumeSettings(folder.dir()));
            config.validate();
            Summary done = finished(folder);
            if (done != null && done.finished() && done.iterations() >= config.iterations) {
                System.out.printf("%s: already finished: %s; nothing to resume%s%n", folder.dir(), describe(done),
                        given().isEmpty() ? "" : ", so " + String.join(", ", given()) + " changed nothing");
                return 0;
            }
            try (Training training = newTraining(config, folder.dir())) {
                RunCheckpoints.Restored restored = training.resume();
                if (restored == null) {
                    System.err.println("spherenet: " + folder.dir() + ": no checkpoint yet, starting from iteration 0");
                } else {
                    warnIfFallenBack(restored);
                }
                if (ResumeSettings.record(stored, config, training.getIteration())) {
                    folder.writeConfig(config);
                }
                return train(training, folder);
            }
        }
    }

    /** The run's summary; null if it has none or (with a warning) an unreadable one, which the run rewrites. */
    private static Summary finished(RunFolder folder) throws java.io.IOException {
        try {
            return folder.summary();
        } catch (RunFolderException e) {
            System.err.println("spherenet: warning: " + e.getMessage() + "; resuming from the checkpoint");
            return null;
        }
    }

    /** The options given beside {@code --resume}, by name. */
    private List<String> given() {
        return spec.commandLine().getParseResult().matchedOptions().stream()
                .filter(o -> !o.longestName().equals("--resume"))
                .map(OptionSpec::longestName)
                .toList();
    }

    /**
     * The settings the options given beside {@code --resume} set.
     *
     * @throws IllegalArgumentException naming the options that cannot change
     */
    private List<String> resumeSettings(Path dir) {
        List<String> settings = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (option.longestName().equals("--resume") || !declaredHere(option)) {
                continue; // a subclass's own options (where to run: Spark) are its to check
            }
            if (ResumeSettings.isChangeable(setting(option))) {
                settings.add(setting(option));
            } else {
                fixed.add(option.longestName());
            }
        }
        if (!fixed.isEmpty()) {
            List<String> changeable = spec.options().stream()
                    .filter(o -> ResumeSettings.isChangeable(setting(o)))
                    .map(OptionSpec::longestName)
                    .toList();
            throw new IllegalArgumentException(dir + ": " + String.join(", ", fixed)
                    + " cannot change when a run is resumed (only " + String.join(", ", changeable)
                    + " can; see 'spherenet train --help')");
        }
        return settings;
    }

    /** Whether {@code option} is one of this command's own, not one a subclass added. */
    private static boolean declaredHere(OptionSpec option) {
        return option.userObject() instanceof Field f && f.getDeclaringClass() == TrainCommand.class;
    }

    /**
     * The {@link TrainConfig} setting an option sets, where that setting may change on resume: the
     * option's field has the setting's name (other fields need not).
     */
    static String setting(OptionSpec option) {
        return option.userObject() instanceof Field f ? f.getName() : "";
    }

    /** One line on stderr when the latest checkpoint was damaged and the previous one used. */
    static void warnIfFallenBack(RunCheckpoints.Restored restored) {
        if (restored.warning() != null) {
            System.err.println("spherenet: warning: " + restored.warning());
        }
    }

    private Training newTraining(TrainConfig config, Path dir) throws java.io.IOException {
        List<TrainingListener> listeners = new ArrayList<>(RunListeners.standard(dir, config));
        listeners.add(Progress.create());
        Training training = new Training(config, dir, listeners);
        configure(training);
        return training;
    }

    /**
     * A hook for commands that train elsewhere (the Spark module's {@code train --spark}): called
     * once the training is built, before it resumes or runs. Does nothing here.
     */
    protected void configure(Training training) throws java.io.IOException {}

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
            if (!summary.finished()) {
                // before the hook returns: after Ctrl-C, the JVM exits as soon as it does
                System.out.printf("%s: stopped at iteration %d (checkpoint written); continue with"
                        + " 'spherenet train --resume %s'%n", folder.dir(), summary.iterations(), folder.dir());
            }
        } finally {
            done.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what stopped us; the JVM exits once it returns
        }
        if (!summary.finished()) {
            return 130;
        }
        System.out.printf("%s: %s%n", folder.dir(), describe(summary));
        return 0;
    }

    /** "500 iterations, test accuracy 80.00% (best 81.00% at 400), 12 s[, 3 steps skipped ...]". */
    private static String describe(Summary summary) {
        return String.format("%d iterations, test accuracy %.2f%% (best %.2f%% at %d), %.0f s%s",
                summary.iterations(), 100 * summary.finalTestAccuracy(),
                100 * summary.bestTestAccuracy(), summary.bestIteration(), summary.elapsedSeconds(),
                summary.skippedSteps() == 0 ? ""
                        : ", " + summary.skippedSteps() + " steps skipped (non-finite loss or gradient)");
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
        c.valFraction = valFraction;
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
