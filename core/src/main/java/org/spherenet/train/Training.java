package org.spherenet.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import org.spherenet.data.Augmentations;
import org.spherenet.data.Datasets;
import org.spherenet.data.EpochShuffleSampler;
import org.spherenet.data.ImageDataset;
import org.spherenet.loss.GaSoftmaxLoss;
import org.spherenet.model.BatchNormStyle;
import org.spherenet.model.ModelSpec;
import org.spherenet.model.Models;
import org.spherenet.nn.OrthogonalityRegularizer;

/**
 * A training run, readable top to bottom: load the data, build the network, then step, evaluate
 * and checkpoint until the planned iterations are done or {@link #stop()} is called. Everything is
 * a function of the configuration and the seed, so a run resumed from a checkpoint replays the
 * same batches with the same learning rates.
 */
public final class Training implements AutoCloseable {

    /** The file name of the latest checkpoint in a run folder. */
    public static final String CHECKPOINT = RunCheckpoints.LATEST;

    private final TrainConfig config;
    private final Path runDir;
    private final List<TrainingListener> listeners;
    private final NDManager manager;
    private final ImageDataset trainSet;
    private final ImageDataset testSet;
    private final ModelSpec spec;
    private final Block network;
    private final Loss loss;
    private final List<TrainableParameter> params;
    private final List<Parameter> sphereKernels;
    private final Optimizer optimizer;
    private final TrainingStep step;
    private final LearningRateSchedule schedule;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final long batchesPerEpoch;
    private final DataType dataType;
    private long iteration;
    private long skippedSteps;
    private double elapsedBefore;
    private double bestAccuracy = -1;
    /** The test accuracy of the latest evaluation, NaN before the first. */
    private double lastAccuracy = Double.NaN;
    private long bestIteration;
    private long lastCheckpoint = -1;
    private LongPredicate poisonedSteps = i -> false;
    private StepRunner stepRunner;

    /**
     * Prepares a run: reads the data and builds and initialises the network (seeded).
     *
     * @param config a validated configuration
     * @param runDir where checkpoints are written
     * @param listeners side concerns
     */
    public Training(TrainConfig config, Path runDir, List<TrainingListener> listeners)
            throws IOException {
        this.config = config;
        this.runDir = runDir;
        this.listeners = listeners;
        Path dataDir = config.dataDir == null ? null : Path.of(config.dataDir);
        trainSet = Datasets.open(config.dataset, Usage.TRAIN, dataDir, Augmentations.parse(config.augmentation),
                config.dataFraction, config.valFraction, config.seed, config.batchSize);
        testSet = Datasets.open(config.dataset, Usage.TEST, dataDir, null, 1, config.valFraction, config.seed, 256);
        config.checkHeldOut(testSet);
        if (trainSet.size() < config.batchSize) {
            throw new IllegalArgumentException("batch size " + config.batchSize
                    + " is larger than the training set (" + trainSet.size() + " images)");
        }
        batchesPerEpoch = trainSet.size() / config.batchSize;

        Shape input = firstImageShape(trainSet);
        spec = config.modelSpec(trainSet.getClassNames().size(),
                (int) input.get(0), (int) input.get(1), (int) input.get(2));
        manager = NDManager.newBaseManager();
        dataType = config.dataType();
        // the engine's generator is global: runs built at once in one JVM (Spark tasks) take turns
        synchronized (Training.class) {
            Engine.getInstance().setRandomSeed((int) config.seed);
            network = Models.build(spec);
            network.initialize(manager, dataType, new Shape(config.batchSize).addAll(input));
        }
        if (config.batchNorm && spec.style().batchNormStyle() == BatchNormStyle.AUTHORS) {
            zeroRunningStatistics(network);
        }
        loss = spec.head().loss(config.labelSmoothing, config.probabilityFloor);
        params = WeightDecay.parse(config.weightDecayMode).assign(network, config.weightDecay);
        sphereKernels = OrthogonalityRegularizer.sphereKernels(network);
        optimizer = Optimizer.create(config.optimizer, params, config.momentum);
        step = new TrainingStep(network, loss, params, sphereKernels, optimizer, config.orthogonality);
        schedule = LearningRateSchedule.parse(config.schedule, config.learningRate, config.iterations);
    }

    /**
     * The images this run is evaluated on, for {@link TrainConfig#heldOut}.
     *
     * @return the test set's {@link ImageDataset#heldOutDescription()}, or null
     */
    public String heldOut() {
        return testSet.heldOutDescription();
    }

    /** The images the run trains on, as the loop reads them (tests; the parity check's record of the batches). */
    ImageDataset trainSet() {
        return trainSet;
    }

    /** The images {@code evaluate} measures the test accuracy on (tests). */
    ImageDataset testSet() {
        return testSet;
    }

    /** A description of the network that a checkpoint must match. */
    public String architecture() {
        return spec.toString();
    }

    /**
     * Continues from the run folder's latest usable checkpoint (see {@link RunCheckpoints#load}),
     * carrying elapsed time, skipped steps and the best accuracy over from the log rows up to it.
     *
     * @return what was loaded, or null if the run wrote no checkpoint yet (it starts over)
     * @throws CheckpointException if no checkpoint is usable
     */
    public RunCheckpoints.Restored resume() throws IOException {
        RunCheckpoints.Restored restored =
                RunCheckpoints.load(runDir, architecture(), network, optimizer, manager);
        iteration = restored == null ? 0 : restored.iteration();
        lastCheckpoint = restored == null ? -1 : restored.iteration();
        restore(MetricsLog.read(runDir).stream().filter(m -> m.iteration() <= iteration).toList());
        return restored;
    }

    private void restore(List<Metrics> earlierRows) {
        for (Metrics m : earlierRows) {
            elapsedBefore = m.elapsedSeconds();
            skippedSteps = m.skippedSteps();
            lastAccuracy = m.testAccuracy();
            if (m.testAccuracy() > bestAccuracy) {
                bestAccuracy = m.testAccuracy();
                bestIteration = m.iteration();
            }
        }
    }

    /**
     * Lets {@code runner} take the steps instead of this process (replicas on a cluster): the loop,
     * evaluation, logs and checkpoints stay here, on the weights the runner leaves in this network.
     */
    public void runStepsWith(StepRunner runner) {
        this.stepRunner = runner;
    }

    /** Asks the loop to stop after the current step (and write a checkpoint). Thread-safe. */
    public void stop() {
        stopRequested.set(true);
    }

    /** Runs until all iterations are done or a stop was requested. */
    public Summary run() throws IOException {
        AtomicFiles.writeString(runDir.resolve(ModelInfo.FILE), RunFolder.JSON.writeValueAsString(modelInfo()));
        listeners.forEach(l -> l.onStart(config, iteration));
        ParameterStore store = new ParameterStore(manager, false);
        long start = System.nanoTime();
        long intervalStart = start;
        long intervalImages = 0;
        double intervalLoss = 0;
        double intervalCorrect = 0;
        int intervalSteps = 0;
        while (iteration < config.iterations && !stopRequested.get()) {
            int epoch = (int) (iteration / batchesPerEpoch);
            // a resumed run starts mid-epoch: replay the epoch's order and skip what was done
            // (building a batch costs well under a millisecond)
            long skip = iteration % batchesPerEpoch;
            trainSet.setEpoch(epoch);
            BatchSampler sampler =
                    new BatchSampler(new EpochShuffleSampler(config.seed), config.batchSize, true);
            for (Batch batch : trainSet.getData(manager, sampler, null)) {
                try (batch) {
                    if (skip > 0) {
                        skip--;
                        continue;
                    }
                    double rate = schedule.rate(iteration);
                    long[] indices = batch.getIndices().stream().mapToLong(i -> ((Number) i).longValue()).toArray();
                    listeners.forEach(l -> l.onBatch(iteration, epoch, indices));
                    double[] lossAndCorrect = step(store, batch, rate);
                    iteration++;
                    intervalImages += batch.getSize();
                    if (Double.isFinite(lossAndCorrect[0])) {
                        intervalLoss += lossAndCorrect[0];
                        intervalCorrect += lossAndCorrect[1];
                        intervalSteps++;
                    }
                    double stepAccuracy = lossAndCorrect[1] / batch.getSize();
                    listeners.forEach(l -> l.onStep(iteration, lossAndCorrect[0], stepAccuracy, rate));
                    boolean finished = iteration == config.iterations;
                    boolean end = finished || (stopRequested.get()
                            && (stepRunner == null || stepRunner.canStopAfter(iteration)));
                    if (iteration % config.evalEvery == 0 || finished) {
                        double now = System.nanoTime();
                        lastAccuracy = evaluate(store);
                        if (lastAccuracy > bestAccuracy) {
                            bestAccuracy = lastAccuracy;
                            bestIteration = iteration;
                        }
                        Metrics metrics = new Metrics(
                                iteration,
                                (double) iteration / batchesPerEpoch,
                                intervalLoss / Math.max(1, intervalSteps),
                                regularisation(),
                                orthogonality(),
                                intervalCorrect / Math.max(1, intervalSteps * (double) config.batchSize),
                                lastAccuracy,
                                rate,
                                intervalImages / ((now - intervalStart) / 1e9),
                                elapsedBefore + (System.nanoTime() - start) / 1e9,
                                skippedSteps);
                        listeners.forEach(l -> l.onEvaluation(metrics));
                        intervalStart = System.nanoTime();
                        intervalImages = 0;
                        intervalLoss = 0;
                        intervalCorrect = 0;
                        intervalSteps = 0;
                    }
                    // after the evaluation: a checkpoint at N means the log has its row N
                    if (iteration % config.checkpointEvery == 0 || end) {
                        checkpoint();
                    }
                    if (end) {
                        break;
                    }
                }
            }
        }
        Summary summary = new Summary(
                iteration,
                iteration >= config.iterations,
                lastAccuracy,
                bestAccuracy < 0 ? Double.NaN : bestAccuracy,
                bestIteration,
                elapsedBefore + (System.nanoTime() - start) / 1e9,
                skippedSteps,
                parameterCount());
        listeners.forEach(l -> l.onEnd(summary));
        return summary;
    }

    /**
     * One step: forward, loss, backward, guard, update. Returns {loss, correct}, the loss NaN for
     * a step skipped because of a non-finite loss or gradient; such a step changes nothing.
     *
     * @throws NonFiniteStepException on a non-finite loss or gradient, if the run stops on one
     */
    private double[] step(ParameterStore store, Batch batch, double rate) {
        TrainingStep.Result result;
        Consumer<List<TrainableParameter>> observer =
                gradients -> listeners.forEach(l -> l.onGradients(iteration + 1, gradients));
        if (stepRunner != null) {
            result = stepRunner.run(iteration, rate, observer);
        } else {
            stepAt(iteration);
            NDArray images = inTrainingType(batch.getData().head());
            if (poisonedSteps.test(iteration)) {
                images = images.mul(Float.NaN); // on the batch's manager, freed with the batch
            }
            result = step.run(store, images, batch.getLabels(), rate, observer);
        }
        if (result.skipped()) {
            if (config.stopsOnNonFinite()) {
                throw new NonFiniteStepException(iteration + 1, result.nonFinite(),
                        lastCheckpoint < 0 ? null : runDir.resolve(CHECKPOINT), lastCheckpoint);
            }
            skippedSteps++;
        }
        return new double[] {result.loss(), result.correct()};
    }

    /**
     * The step for iteration {@code iteration} (0-based): the losses that depend on the iteration
     * (GA-Softmax's margin warm-up) are set to it.
     */
    public TrainingStep stepAt(long iteration) {
        if (loss instanceof GaSoftmaxLoss) {
            ((GaSoftmaxLoss) loss).setIteration(iteration);
        }
        return step;
    }

    /**
     * Rows {@code [from, to)} of the training batch of iteration {@code iteration}, the very images
     * and labels (augmented for their epoch) that the loop gives that step: what a data-parallel
     * replica trains on. Close it after use.
     */
    public Batch batchRows(NDManager batchManager, long iteration, int from, int to) throws IOException {
        int epoch = (int) (iteration / batchesPerEpoch);
        trainSet.setEpoch(epoch);
        Iterator<Long> order = new EpochShuffleSampler(config.seed).sample(trainSet);
        long first = (iteration % batchesPerEpoch) * config.batchSize + from;
        for (long i = 0; i < first; i++) {
            order.next();
        }
        List<Long> rows = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            rows.add(order.next());
        }
        Sampler fixed = new Sampler() {
            @Override
            public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
                return List.of(rows).iterator();
            }

            @Override
            public int getBatchSize() {
                return rows.size();
            }
        };
        return trainSet.getData(batchManager, fixed, null).iterator().next();
    }

    /** The run's settings. */
    public TrainConfig config() {
        return config;
    }

    /** Test accuracy (on the first {@code evalLimit} images when set), without gradients. */
    private double evaluate(ParameterStore store) throws IOException {
        return evaluation(store).accuracy();
    }

    /** The test-set evaluation (the first {@code evalLimit} images when set), without gradients. */
    Evaluation evaluation(ParameterStore store) throws IOException {
        return Evaluation.of(
                images -> network.forward(store, new NDList(inTrainingType(images)), false).head(),
                testSet,
                config.evalLimit);
    }

    /** The test-set evaluation with the current weights (see {@link #evaluation(ParameterStore)}). */
    Evaluation evaluation() throws IOException {
        return evaluation(new ParameterStore(manager, false));
    }

    /** Batches are read as float32; a float64 run converts them (exactly) on the batch's manager. */
    private NDArray inTrainingType(NDArray images) {
        return images.getDataType() == dataType ? images : images.toType(dataType, false);
    }

    private List<NDArray> kernelArrays() {
        List<NDArray> arrays = new ArrayList<>(sphereKernels.size());
        for (Parameter p : sphereKernels) {
            arrays.add(p.getArray());
        }
        return arrays;
    }

    private double orthogonality() {
        if (sphereKernels.isEmpty()) {
            return 0;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return Scalars.value(OrthogonalityRegularizer.penalty(kernelArrays(), config.orthogonality));
        }
    }

    private double regularisation() {
        double sum = 0;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (TrainableParameter p : params) {
                if (p.weightDecay() > 0) {
                    sum += 0.5 * p.weightDecay() * Scalars.value(p.array().square().sum());
                }
            }
        }
        return sum;
    }

    private void checkpoint() {
        RunCheckpoints.save(runDir, architecture(), iteration, network, optimizer);
        lastCheckpoint = iteration;
        listeners.forEach(l -> l.onCheckpoint(iteration));
    }

    /**
     * Test seam: the steps starting at the iterations {@code poisoned} accepts get NaN images, as
     * corrupt data or an exploding activation would produce.
     */
    void injectNonFinite(LongPredicate poisoned) {
        this.poisonedSteps = poisoned;
    }

    /** The classes and input shape of the network. */
    public ModelInfo modelInfo() {
        return new ModelInfo(trainSet.getClassNames(), spec.channels(), spec.height(), spec.inputWidth());
    }

    /** Trainable parameter count. */
    public long parameterCount() {
        long n = 0;
        for (TrainableParameter p : params) {
            n += p.array().size();
        }
        return n;
    }

    Optimizer optimizer() {
        return optimizer;
    }

    List<TrainableParameter> trainableParameters() {
        return params;
    }

    public long getIteration() {
        return iteration;
    }

    public Block getNetwork() {
        return network;
    }

    public ModelSpec getSpec() {
        return spec;
    }

    private static Shape firstImageShape(ImageDataset dataset) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            return dataset.get(m, 0).getData().head().getShape();
        }
    }

    /** The authors' BatchNorm starts its running mean and variance at zero. */
    private static void zeroRunningStatistics(Block network) {
        for (Pair<String, Parameter> p : network.getParameters()) {
            String name = p.getValue().getName();
            if (name.equals("runningMean") || name.equals("runningVar")) {
                NDArray a = p.getValue().getArray();
                a.subi(a);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
