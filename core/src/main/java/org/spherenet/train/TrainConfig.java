package org.spherenet.train;

import ai.djl.ndarray.types.DataType;
import org.spherenet.data.Augmentations;
import org.spherenet.data.DataException;
import org.spherenet.data.Datasets;
import org.spherenet.data.ImageDataset;
import org.spherenet.data.ImageFolderDataset;
import org.spherenet.model.BatchNormStyle;
import org.spherenet.model.ConvStyle;
import org.spherenet.model.Head;
import org.spherenet.model.ModelSpec;
import org.spherenet.model.Models;
import org.spherenet.model.Operator;

/**
 * Everything a training run depends on, as one plain record of settings: written next to the
 * results as {@code config.json}, and enough to rerun. The defaults are the main job's: a narrow
 * SphereNet-9 (width 0.125: 16/24/32 channels) on Fashion-MNIST, six epochs of batch 64 with flips,
 * Adam at 2e-3 and label smoothing 0.1, which reaches 92.5% test accuracy in about 8 minutes on two
 * CPU cores.
 */
public class TrainConfig {

    // the network
    public String model = "spherenet9";
    /** Operator override (conv, linear, cosine, sigmoid(K), learnable-sigmoid); null: the model's. */
    public String operator;
    public String classifier = "softmax";
    public double width = 0.125;
    public boolean batchNorm = true;
    /** usual or authors. */
    public String batchNormStyle = "usual";
    public boolean sphereNorm;
    public boolean sphereNormRescaled = true;
    public boolean fc6BatchNorm = true;

    // the data
    public String dataset = "fashion-mnist";
    /** A folder holding the dataset, or null to search the usual places. */
    public String dataDir;
    /** The share of the training set used, (0, 1]. */
    public double dataFraction = 1;
    /**
     * image-folder without {@code val/} or {@code test/}: the share of each class held out for
     * evaluation, (0, 1), chosen by the seed; never trained on.
     */
    public double valFraction = ImageFolderDataset.DEFAULT_VAL_FRACTION;
    /**
     * The images the run is evaluated on when the dataset splits them off itself (image-folder):
     * {@link ImageDataset#heldOutDescription()} when the run started, so {@code --resume} and
     * {@code eval} refuse a folder that changed since (it would be split differently); null
     * otherwise.
     */
    public String heldOut;
    /** none, flip or cifar-plus (reflect-pad 4, crop, flip). */
    public String augmentation = "flip";

    // optimisation
    public int batchSize = 64;
    public long iterations = 7500;
    public String optimizer = "adam";
    public double learningRate = 2e-3;
    public double momentum = 0.9;
    /** step (the authors' /10 at 34/64 and 54/64), cosine or constant. */
    public String schedule = "cosine";
    public double weightDecay = 5e-4;
    /** authors, global or none. */
    public String weightDecayMode = "authors";
    public double orthogonality = 2e-4;
    public double labelSmoothing = 0.1;
    public double probabilityFloor;
    public long seed = 1;
    /**
     * What a step with a non-finite loss or gradient does (it never changes the weights): skip
     * (the batch is dropped and counted in {@code skippedSteps}) or stop (the run ends with an
     * error naming the iteration, its last checkpoint intact).
     */
    public String onNonFinite = "skip";
    /**
     * The data type of the weights, activations and optimiser state: float32 (the default) or
     * float64, which the lock-step parity check against the PyTorch reference trains in.
     */
    public String dataType = "float32";

    // bookkeeping
    public long evalEvery = 1400;
    public long checkpointEvery = 1400;
    /** Evaluate on at most this many test images (0: all). */
    public int evalLimit;
    /** Iterations between rows of {@code gradients.jsonl} (0: no gradient log). */
    public long gradientLogEvery;

    /**
     * The settings changed when the run was resumed, each holding from its iteration on (see
     * {@link ResumeSettings}); null: none.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public java.util.List<ResumeSettings.Change> changedOnResume;

    /**
     * Checks every setting before any work starts.
     *
     * @throws IllegalArgumentException with one line naming the setting
     */
    public void validate() {
        Models.entry(model);
        operator();
        Head.parse(classifier);
        batchNormStyle();
        WeightDecay.parse(weightDecayMode);
        LearningRateSchedule.parse(schedule, 1, 1);
        Augmentations.parse(augmentation);
        Datasets.builder(dataset, dataDir == null ? null : java.nio.file.Path.of(dataDir)); // a known name
        require(width > 0 && Double.isFinite(width), "width must be > 0, got " + width);
        require(dataFraction > 0 && dataFraction <= 1, "data fraction must be in (0, 1], got " + dataFraction);
        require(valFraction > 0 && valFraction < 1, "validation fraction must be in (0, 1), got " + valFraction);
        require(batchSize > 0, "batch size must be > 0, got " + batchSize);
        require(iterations > 0, "iterations must be > 0, got " + iterations);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0, got " + learningRate);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        require(orthogonality >= 0, "orthogonality coefficient must be >= 0, got " + orthogonality);
        require(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1), got " + labelSmoothing);
        require(probabilityFloor >= 0 && probabilityFloor < 1, "probability floor must be in [0, 1), got " + probabilityFloor);
        require(evalEvery > 0, "evaluation interval must be > 0, got " + evalEvery);
        require(checkpointEvery > 0, "checkpoint interval must be > 0, got " + checkpointEvery);
        require(evalLimit >= 0, "evaluation limit must be >= 0, got " + evalLimit);
        require(gradientLogEvery >= 0, "gradient log interval must be >= 0, got " + gradientLogEvery);
        require(java.util.List.of("adam", "sgd").contains(optimizer),
                "unknown optimiser '" + optimizer + "' (expected adam or sgd)");
        dataType();
        require(java.util.List.of("skip", "stop").contains(onNonFinite),
                "unknown non-finite policy '" + onNonFinite + "' (expected skip or stop)");
    }

    /**
     * Checks that {@code testSet} holds the images recorded in {@link #heldOut} (when recorded).
     *
     * @param testSet the held-out part, opened with this configuration's data settings
     * @throws DataException naming the data folder if the held-out images differ
     */
    public void checkHeldOut(ImageDataset testSet) {
        String now = testSet.heldOutDescription();
        if (heldOut != null && !heldOut.equals(now)) {
            throw new DataException(dataDir == null ? null : java.nio.file.Path.of(dataDir),
                    "the held-out images are not those this run was evaluated on (config.json: " + heldOut
                    + "; now: " + now + "); the folder changed since the run started, so it would be"
                    + " split differently and the run evaluated on images it trained on: restore the folder");
        }
    }

    /** Whether a non-finite loss or gradient ends the run (else the step is skipped). */
    public boolean stopsOnNonFinite() {
        return "stop".equals(onNonFinite);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The operator: the override, or the model's own. */
    public Operator operator() {
        return operator == null ? Models.entry(model).defaultOperator() : Operator.parse(operator);
    }

    /** The training data type, {@code float32} or {@code float64}. */
    public DataType dataType() {
        switch (dataType) {
            case "float32":
                return DataType.FLOAT32;
            case "float64":
                return DataType.FLOAT64;
            default:
                throw new IllegalArgumentException(
                        "unknown data type '" + dataType + "' (expected float32 or float64)");
        }
    }

    public BatchNormStyle batchNormStyle() {
        try {
            return BatchNormStyle.valueOf(batchNormStyle.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown BatchNorm style '" + batchNormStyle + "' (expected usual or authors)");
        }
    }

    /** The network for input of the given shape. */
    public ModelSpec modelSpec(int classes, int channels, int height, int inputWidth) {
        Models.Entry entry = Models.entry(model);
        ConvStyle style =
                new ConvStyle(operator(), sphereNorm, sphereNormRescaled, batchNorm, batchNormStyle());
        return new ModelSpec(
                entry.family(),
                entry.depth(),
                width,
                style,
                Head.parse(classifier),
                fc6BatchNorm && batchNorm,
                classes,
                channels,
                height,
                inputWidth);
    }
}
