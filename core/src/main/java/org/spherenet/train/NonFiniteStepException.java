package org.spherenet.train;

import java.nio.file.Path;

/**
 * A training step met a non-finite loss or gradient and the run was set to stop on one ({@code
 * onNonFinite = "stop"}). The step changed nothing and no checkpoint of it was written; the message
 * (one line) names the iteration and the last good checkpoint.
 */
public class NonFiniteStepException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long iteration;

    /**
     * @param iteration the iteration the step would have completed
     * @param what "the loss" or "a gradient"
     * @param checkpoint the last checkpoint written, or null if none
     * @param checkpointIteration its iteration
     */
    public NonFiniteStepException(long iteration, String what, Path checkpoint, long checkpointIteration) {
        super("stopped at iteration " + iteration + ": " + what + " is not finite (NaN or infinity);"
                + " the weights were not updated and "
                + (checkpoint == null
                        ? "no checkpoint was written yet"
                        : "the last checkpoint, " + checkpoint + " (iteration " + checkpointIteration
                                + "), is intact"));
        this.iteration = iteration;
    }

    public long iteration() {
        return iteration;
    }
}
