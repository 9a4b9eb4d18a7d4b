package org.spherenet.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.spherenet.model.Complexity;
import org.spherenet.model.ModelSpec;
import org.spherenet.model.Models;
import org.spherenet.nn.OrthogonalityRegularizer;
import org.spherenet.train.Optimizer;
import org.spherenet.train.TrainConfig;
import org.spherenet.train.TrainableParameter;
import org.spherenet.train.TrainingStep;
import org.spherenet.train.WeightDecay;

/**
 * Times a network on synthetic data: in {@code train} mode the training loop's own step ({@link
 * TrainingStep}: forward, loss with the orthogonality penalty, backward, Adam with weight decay), in
 * {@code inference} mode a forward pass without gradients. One random batch is made up front, so
 * only the network's work is timed; warm-up steps are run and discarded first.
 */
public final class StepBenchmark {

    /** What is timed. */
    public enum Mode {
        TRAIN,
        INFERENCE
    }

    private StepBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param config the network and training settings (model, operator, width, batch size, loss,
     *     optimiser); the learning rate is held constant
     * @param image the input shape of one image, {@code (C, H, W)}
     * @param classes number of classes
     * @param mode train or inference
     * @param warmup untimed steps first
     * @param steps timed steps ({@code >= 1})
     * @param threads the engine's intra-op threads, only reported
     */
    public static BenchResult run(
            TrainConfig config, Shape image, int classes, Mode mode, int warmup, int steps, int threads) {
        if (warmup < 0 || steps < 1) {
            throw new IllegalArgumentException("need warmup >= 0 and steps >= 1, got " + warmup + " and " + steps);
        }
        config.validate();
        ModelSpec spec = config.modelSpec(classes, (int) image.get(0), (int) image.get(1), (int) image.get(2));
        double[] times = new double[steps];
        long multiplyAdds;
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) config.seed);
            Block network = Models.build(spec);
            Shape batchShape = new Shape(config.batchSize).addAll(image);
            network.initialize(manager, DataType.FLOAT32, batchShape);
            multiplyAdds = Complexity.multiplyAdds(network, image);
            NDArray images = manager.randomNormal(batchShape);
            NDList labels = new NDList(manager.randomInteger(0, classes, new Shape(config.batchSize), DataType.INT32));
            ParameterStore store = new ParameterStore(manager, false);
            Runnable step = mode == Mode.TRAIN
                    ? trainingStep(config, spec, network, store, images, labels)
                    : () -> inferenceStep(network, store, images);
            for (int i = 0; i < warmup; i++) {
                step.run();
            }
            for (int i = 0; i < steps; i++) {
                long start = System.nanoTime();
                step.run();
                times[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        double median = BenchResult.quantile(times, 0.5);
        double gflop = (mode == Mode.TRAIN ? 3 : 1) * 2.0 * multiplyAdds * config.batchSize / 1e9;
        return new BenchResult(
                "spherenet-java",
                config.model,
                config.operator().toString(),
                mode.name().toLowerCase(java.util.Locale.ROOT),
                config.width,
                config.batchSize,
                image.get(0) + "," + image.get(1) + "," + image.get(2),
                threads,
                steps,
                median,
                BenchResult.quantile(times, 0.25),
                BenchResult.quantile(times, 0.75),
                BenchResult.quantile(times, 0),
                BenchResult.quantile(times, 1),
                config.batchSize / (median / 1e3),
                gflop,
                gflop / (median / 1e3),
                PeakMemory.peakResidentMiB());
    }

    private static Runnable trainingStep(
            TrainConfig config, ModelSpec spec, Block network, ParameterStore store, NDArray images, NDList labels) {
        List<TrainableParameter> params = WeightDecay.parse(config.weightDecayMode).assign(network, config.weightDecay);
        TrainingStep step = new TrainingStep(
                network,
                spec.head().loss(config.labelSmoothing, config.probabilityFloor),
                params,
                OrthogonalityRegularizer.sphereKernels(network),
                Optimizer.create(config.optimizer, params, config.momentum),
                config.orthogonality);
        return () -> step.run(store, images, labels, config.learningRate);
    }

    private static void inferenceStep(Block network, ParameterStore store, NDArray images) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            // reading one number makes sure the pass has finished (on a GPU it is asynchronous)
            network.forward(store, new NDList(images), false).head().max().getFloat();
        }
    }
}
