package org.spherenet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.spherenet.data.Datasets;
import org.spherenet.data.ImageDataset;
import org.spherenet.nn.OrthogonalityRegularizer;

/**
 * Records a real training run ({@link Training}, as {@code spherenet train} runs it) for the
 * lock-step parity check against the independent PyTorch reference ({@code bench/parity.sh}):
 * the initial parameters and BatchNorm statistics, the batches it consumed (sample indices, the
 * flip decisions and labels), the loss and learning rate of every step, and at the end every
 * parameter, BatchNorm statistic and optimiser moment and the test-set confusion matrix.
 *
 * <p>Files written into the case folder (which holds the run's {@code config.json}):
 * {@code params.json} (every parameter in network order: name, shape, whether trained, its weight
 * decay, whether the orthogonality penalty covers it), {@code init.npz}, {@code batches.npz},
 * {@code steps.npz}, {@code final.npz} (parameters, then {@code <kind>:<name>} optimiser state)
 * and {@code evaluation.json}.
 */
public final class ParityRecord {

    private ParityRecord() {}

    /**
     * Trains the run configured in {@code caseDir/config.json} and records it there.
     *
     * @throws IllegalArgumentException for an invalid configuration
     */
    public static void record(Path caseDir) throws IOException {
        TrainConfig config = RunFolder.JSON.readValue(caseDir.resolve("config.json").toFile(), TrainConfig.class);
        config.validate();
        Path runDir = caseDir.resolve("run");
        Files.createDirectories(runDir);
        Recorder recorder = new Recorder(config);
        try (Training training = new Training(config, runDir, List.of(recorder))) {
            writeParameterList(training, caseDir.resolve("params.json"));
            parameters(training, new Npz()).write(caseDir.resolve("init.npz"));
            training.run();
            Npz last = parameters(training, new Npz());
            List<TrainableParameter> trained = training.trainableParameters();
            for (Map.Entry<String, List<NDArray>> kind :
                    new TreeMap<>(training.optimizer().moments()).entrySet()) {
                for (int i = 0; i < trained.size(); i++) {
                    last.put(kind.getKey() + ":" + trained.get(i).name(), kind.getValue().get(i));
                }
            }
            last.write(caseDir.resolve("final.npz"));
            recorder.writeBatches(training.trainSet(), caseDir.resolve("batches.npz"));
            recorder.writeSteps(caseDir.resolve("steps.npz"));
            Evaluation evaluation = training.evaluation();
            ObjectNode eval = RunFolder.JSON.createObjectNode();
            eval.put("evalLimit", config.evalLimit);
            ArrayNode rows = eval.putArray("confusion");
            for (long[] row : evaluation.confusion()) {
                ArrayNode r = rows.addArray();
                Arrays.stream(row).forEach(r::add);
            }
            AtomicFiles.writeString(caseDir.resolve("evaluation.json"), RunFolder.JSON.writeValueAsString(eval));
        }
    }

    private static Npz parameters(Training training, Npz npz) {
        for (Pair<String, Parameter> p : training.getNetwork().getParameters()) {
            npz.put(p.getKey(), p.getValue().getArray());
        }
        return npz;
    }

    private static void writeParameterList(Training training, Path file) throws IOException {
        Map<Parameter, Double> decay = new IdentityHashMap<>();
        training.trainableParameters().forEach(t -> decay.put(t.parameter(), t.weightDecay()));
        Map<Parameter, Boolean> orthogonal = new IdentityHashMap<>();
        OrthogonalityRegularizer.sphereKernels(training.getNetwork()).forEach(k -> orthogonal.put(k, true));
        ArrayNode list = RunFolder.JSON.createArrayNode();
        for (Pair<String, Parameter> p : training.getNetwork().getParameters()) {
            ObjectNode o = list.addObject();
            o.put("name", p.getKey());
            ArrayNode shape = o.putArray("shape");
            Arrays.stream(p.getValue().getArray().getShape().getShape()).forEach(shape::add);
            o.put("trained", decay.containsKey(p.getValue()));
            o.put("weightDecay", decay.getOrDefault(p.getValue(), 0.0));
            o.put("orthogonality", orthogonal.containsKey(p.getValue()));
        }
        AtomicFiles.writeString(file, RunFolder.JSON.writeValueAsString(list));
    }

    /** Keeps what the loop reports: each step's batch, loss and learning rate. */
    private static final class Recorder implements TrainingListener {

        private final TrainConfig config;
        private final List<long[]> batches = new ArrayList<>();
        private final List<Integer> epochs = new ArrayList<>();
        private final List<Double> losses = new ArrayList<>();
        private final List<Double> rates = new ArrayList<>();

        Recorder(TrainConfig config) {
            this.config = config;
        }

        @Override
        public void onBatch(long iteration, int epoch, long[] indices) {
            batches.add(indices);
            epochs.add(epoch);
        }

        @Override
        public void onStep(long iteration, double loss, double accuracy, double learningRate) {
            losses.add(loss);
            rates.add(learningRate);
        }

        /**
         * Indices, epochs, labels, and whether each image was flipped: the augmented sample
         * compared with the same sample unaugmented (a left-right symmetric image counts as not
         * flipped, which gives the same pixels).
         */
        void writeBatches(ImageDataset trainSet, Path file) throws IOException {
            ImageDataset plain = Datasets.open(config.dataset, Usage.TRAIN,
                    config.dataDir == null ? null : Path.of(config.dataDir), null,
                    config.dataFraction, config.valFraction, config.seed, config.batchSize);
            int steps = batches.size();
            int size = config.batchSize;
            long[] indices = new long[steps * size];
            long[] labels = new long[steps * size];
            long[] flips = new long[steps * size];
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < size; i++) {
                    long index = batches.get(s)[i];
                    indices[s * size + i] = index;
                    labels[s * size + i] = trainSet.label(index);
                    boolean same = Arrays.equals(trainSet.sample(index, epochs.get(s)).pixels(),
                            plain.sample(index, epochs.get(s)).pixels());
                    flips[s * size + i] = same ? 0 : 1;
                }
            }
            new Npz()
                    .put("indices", indices, steps, size)
                    .put("labels", labels, steps, size)
                    .put("flips", flips, steps, size)
                    .put("epochs", epochs.stream().mapToLong(Integer::longValue).toArray(), steps)
                    .write(file);
        }

        void writeSteps(Path file) throws IOException {
            new Npz()
                    .put("loss", losses.stream().mapToDouble(Double::doubleValue).toArray(), losses.size())
                    .put("rate", rates.stream().mapToDouble(Double::doubleValue).toArray(), rates.size())
                    .write(file);
        }
    }
}
