package org.spherenet.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.translate.Batchifier;
import java.util.List;
import java.util.SplittableRandom;
import org.spherenet.train.Optimizer;
import org.spherenet.train.TrainableParameter;
import org.spherenet.train.TrainingStep;
import org.spherenet.train.WeightDecay;

/**
 * A float64 replica for exact comparisons: a two-layer perceptron without BatchNorm (whose batch
 * statistics would differ between B and B/N rows) on seeded synthetic data, built through the
 * public API, with the project's optimiser, weight decay and step.
 */
final class Float64Replica implements Replica {

    static final int FEATURES = 12;
    static final int CLASSES = 4;

    private final NDManager manager = NDManager.newBaseManager();
    private final ParameterStore store = new ParameterStore(manager, false);
    private final TrainingStep step;
    private final int batchSize;
    private final long seed;
    private final long poisoned;

    Float64Replica(String optimizer, int batchSize, long seed) {
        this(optimizer, batchSize, seed, -1);
    }

    /** A replica whose batch of iteration {@code poisoned} holds a NaN in its last row. */
    Float64Replica(String optimizer, int batchSize, long seed, long poisoned) {
        this.batchSize = batchSize;
        this.seed = seed;
        this.poisoned = poisoned;
        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(16).build())
                .add(Activation.tanhBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
        ai.djl.engine.Engine.getInstance().setRandomSeed(7);
        net.initialize(manager, DataType.FLOAT64, new Shape(batchSize, FEATURES));
        List<TrainableParameter> params = WeightDecay.parse("global").assign(net, 1e-3);
        step = new TrainingStep(net, Loss.softmaxCrossEntropyLoss(), params, List.of(),
                Optimizer.create(optimizer, params, 0.9), 0);
    }

    @Override
    public TrainingStep stepAt(long iteration) {
        return step;
    }

    /** The global batch of an iteration: seeded by (seed, iteration), labels from a fixed rule. */
    @Override
    public Batch batchRows(NDManager m, long iteration, int from, int to) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003 + iteration);
        double[] x = new double[batchSize * FEATURES];
        double[] y = new double[batchSize];
        for (int i = 0; i < batchSize; i++) {
            double s = 0;
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = random.nextGaussian();
                s += x[i * FEATURES + j] * (j % 3 - 1);
            }
            y[i] = Math.floorMod((int) Math.floor(s), CLASSES);
        }
        if (iteration == poisoned) {
            x[x.length - 1] = Double.NaN;
        }
        NDArray data = m.create(x, new Shape(batchSize, FEATURES)).get(new NDIndex(from + ":" + to));
        NDArray labels = m.create(y).get(new NDIndex(from + ":" + to));
        return new Batch(m, new NDList(data), new NDList(labels), to - from, Batchifier.STACK, Batchifier.STACK, 0, 0);
    }

    @Override
    public ParameterStore store() {
        return store;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }

    static Factory factory(String optimizer, int batchSize, long seed) {
        return new Float64Factory(optimizer, batchSize, seed, -1);
    }

    static Factory factory(String optimizer, int batchSize, long seed, long poisoned) {
        return new Float64Factory(optimizer, batchSize, seed, poisoned);
    }

    private record Float64Factory(String optimizer, int batchSize, long seed, long poisoned) implements Factory {
        @Override
        public String key() {
            return "float64-" + optimizer + "-" + batchSize + "-" + seed + "-" + poisoned;
        }

        @Override
        public Replica create() {
            return new Float64Replica(optimizer, batchSize, seed, poisoned);
        }
    }
}
