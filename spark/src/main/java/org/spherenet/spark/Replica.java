package org.spherenet.spark;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import java.io.IOException;
import java.io.Serializable;
import org.spherenet.train.TrainingStep;

/**
 * One copy of the network with its data, as a data-parallel task (or the driver) uses it: the step
 * of an iteration and any rows of that iteration's global batch.
 */
interface Replica extends AutoCloseable {

    /** The step of iteration {@code iteration}, with iteration-dependent losses set to it. */
    TrainingStep stepAt(long iteration);

    /** Rows {@code [from, to)} of the global batch of iteration {@code iteration}. */
    Batch batchRows(NDManager manager, long iteration, int from, int to) throws IOException;

    /** Where the forward pass finds the parameters. */
    ParameterStore store();

    /** Its own arrays' manager. */
    NDManager manager();

    @Override
    void close();

    /** Builds replicas where the tasks run: shipped to the executors, so it is small and serialisable. */
    interface Factory extends Serializable {

        /** Identifies the run: equal keys give interchangeable replicas (a pool reuses them). */
        String key();

        Replica create() throws IOException;
    }
}
