package org.spherenet.spark;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.spherenet.train.TrainConfig;
import org.spherenet.train.Training;
import org.spherenet.train.TrainingStep;

/** A replica of an ordinary training run: the same network, data and batches as {@link Training}. */
final class TrainingReplica implements Replica {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Training training;
    private final ParameterStore store;
    private final NDManager manager;

    TrainingReplica(Training training) {
        this.training = training;
        this.manager = NDManager.newBaseManager();
        this.store = new ParameterStore(manager, false);
    }

    @Override
    public TrainingStep stepAt(long iteration) {
        return training.stepAt(iteration);
    }

    @Override
    public Batch batchRows(NDManager m, long iteration, int from, int to) throws IOException {
        return training.batchRows(m, iteration, from, to);
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
        training.close();
    }

    /** Builds replicas of the run {@code config} describes (the configuration travels as JSON). */
    static Factory factory(TrainConfig config) throws IOException {
        return new ConfigFactory(JSON.writeValueAsString(config));
    }

    private record ConfigFactory(String configJson) implements Factory {

        @Override
        public String key() {
            return configJson;
        }

        @Override
        public Replica create() throws IOException {
            TrainConfig config = JSON.readValue(configJson, TrainConfig.class);
            // a replica writes nothing: its folder only satisfies the constructor
            Path scratch = Files.createTempDirectory("spherenet-replica");
            Files.delete(scratch);
            return new TrainingReplica(new Training(config, scratch, List.of()));
        }
    }
}
