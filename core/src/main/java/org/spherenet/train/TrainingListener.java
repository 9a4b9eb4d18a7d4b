package org.spherenet.train;

import java.util.List;

/**
 * Side concerns of a training run (progress display, metrics files, plots) hang off the loop
 * through this interface instead of being woven into it. Every method has an empty default.
 */
public interface TrainingListener {

    /** Before the first step; {@code startIteration} is above 0 when resuming. */
    default void onStart(TrainConfig config, long startIteration) {}

    /**
     * Before every training step, with the batch it trains on: the training set's sample indices
     * in batch order, read in epoch {@code epoch} (which seeds their augmentation).
     */
    default void onBatch(long iteration, int epoch, long[] indices) {}

    /** After every training step. */
    default void onStep(long iteration, double loss, double accuracy, double learningRate) {}

    /**
     * After the backward pass of a step whose gradients are all finite, before the optimiser
     * changes the weights ({@code iteration} counts this step). Gradients are read here, inside
     * the step's scope, so any array made from them is freed with the step.
     */
    default void onGradients(long iteration, List<TrainableParameter> params) {}

    /** After every evaluation. */
    default void onEvaluation(Metrics metrics) {}

    /** After a checkpoint was written. */
    default void onCheckpoint(long iteration) {}

    /** When the run ends, finished or stopped. */
    default void onEnd(Summary summary) {}
}
