package org.spherenet.train;

import java.util.List;
import java.util.function.Consumer;

/**
 * Takes a training step somewhere else than the loop that asks for it (data-parallel replicas on a
 * cluster), leaving the result in the loop's network and optimiser, so that evaluation, logs and
 * checkpoints work unchanged. See {@link Training#runStepsWith}.
 */
public interface StepRunner {

    /**
     * Takes the step of iteration {@code iteration} (0-based) at learning rate {@code rate}.
     *
     * @param gradientObserver shown the averaged gradients before an update, as in a local step
     * @return the step's loss and correct count over its batch; a NaN loss with no non-finite
     *     reason is a step whose result arrives with a later one (parameter averaging)
     */
    TrainingStep.Result run(long iteration, double rate, Consumer<List<TrainableParameter>> gradientObserver);

    /**
     * Whether the network holds the weights of {@code iterationsDone} steps, so that the loop may
     * stop (and checkpoint) there.
     */
    default boolean canStopAfter(long iterationsDone) {
        return true;
    }
}
