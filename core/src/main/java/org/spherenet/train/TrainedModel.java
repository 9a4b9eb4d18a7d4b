package org.spherenet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spherenet.model.ModelSpec;
import org.spherenet.model.Models;

/** A network restored from a run folder's checkpoint, for evaluation and prediction. */
public final class TrainedModel implements AutoCloseable {

    private final ModelInfo info;
    private final ModelSpec spec;
    private final Block network;
    private final NDManager manager;
    private final ParameterStore store;
    private final RunCheckpoints.Restored restored;

    private TrainedModel(ModelInfo info, ModelSpec spec, Block network, NDManager manager,
            RunCheckpoints.Restored restored) {
        this.info = info;
        this.restored = restored;
        this.spec = spec;
        this.network = network;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
    }

    /**
     * Loads the network of a run folder.
     *
     * @throws RunFolderException if the folder lacks its configuration or model description
     * @throws CheckpointException if there is no usable checkpoint (the latest or, if it is
     *     damaged, the previous one), or it holds another network
     */
    public static TrainedModel load(Path runDir) throws IOException {
        TrainConfig config = RunFolder.readConfig(runDir);
        Path infoFile = runDir.resolve(ModelInfo.FILE);
        if (!Files.exists(infoFile)) {
            throw new RunFolderException(runDir, "no " + ModelInfo.FILE + " (was the run started?)");
        }
        ModelInfo info = RunFolder.JSON.readValue(infoFile.toFile(), ModelInfo.class);
        ModelSpec spec = config.modelSpec(info.classNames().size(), info.channels(), info.height(), info.width());
        NDManager manager = NDManager.newBaseManager();
        try {
            Block network = Models.build(spec);
            network.initialize(manager, DataType.FLOAT32, new Shape(1, info.channels(), info.height(), info.width()));
            RunCheckpoints.Restored restored =
                    RunCheckpoints.load(runDir, spec.toString(), network, null, manager);
            if (restored == null) {
                throw new CheckpointException(
                        runDir.resolve(RunCheckpoints.LATEST), "no checkpoint in this run folder yet");
            }
            return new TrainedModel(info, spec, network, manager, restored);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Inference logits {@code (batch, classes)} for a batch of normalised images. */
    public NDArray logits(NDArray images) {
        NDList out = network.forward(store, new NDList(images), false);
        return spec.head().logits(out);
    }

    /** The restored network (for inspecting its parameters). */
    public Block network() {
        return network;
    }

    /** The checkpoint loaded, with a warning if the latest was damaged and the previous used. */
    public RunCheckpoints.Restored restored() {
        return restored;
    }

    public ModelInfo info() {
        return info;
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
