package org.spherenet.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import org.spherenet.nn.OrthogonalityRegularizer;

/**
 * One optimisation step: forward, loss plus the orthogonality penalty, backward, the finite-gradient
 * guard, update. {@link Training} and the benchmark both call it, so the benchmark times exactly the
 * training loop's step.
 */
public final class TrainingStep {

    /**
     * What a step reports.
     *
     * @param loss the fit loss (without regularisers), NaN when the step was skipped
     * @param correct how many images of the batch were classified correctly
     * @param skipped whether the update was skipped for a non-finite loss or gradient
     */
    public record Result(double loss, double correct, boolean skipped) {}

    private final Block network;
    private final Loss loss;
    private final List<TrainableParameter> params;
    private final List<Parameter> sphereKernels;
    private final Optimizer optimizer;
    private final double orthogonality;

    /**
     * @param network an initialised network
     * @param loss the fit loss
     * @param params what the optimiser updates
     * @param sphereKernels the kernels the orthogonality penalty acts on
     * @param optimizer the update rule
     * @param orthogonality the penalty's coefficient ({@code 0}: none)
     */
    public TrainingStep(
            Block network,
            Loss loss,
            List<TrainableParameter> params,
            List<Parameter> sphereKernels,
            Optimizer optimizer,
            double orthogonality) {
        this.network = network;
        this.loss = loss;
        this.params = params;
        this.sphereKernels = sphereKernels;
        this.optimizer = optimizer;
        this.orthogonality = orthogonality;
    }

    /** Runs one step on a batch with learning rate {@code rate}; temporaries live in a scope. */
    public Result run(ParameterStore store, NDArray images, NDList labels, double rate) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            double fit;
            double correct;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList predictions = network.forward(store, new NDList(images), true);
                NDArray fitLoss = loss.evaluate(labels, predictions);
                NDArray total = fitLoss;
                if (orthogonality > 0 && !sphereKernels.isEmpty()) {
                    total = total.add(OrthogonalityRegularizer.penalty(kernelArrays(), orthogonality));
                }
                collector.backward(total);
                fit = fitLoss.getFloat();
                correct = correct(predictions.head(), labels.head());
            }
            if (!Double.isFinite(fit) || !Gradients.allFinite(params)) {
                params.forEach(p -> Gradients.reset(p.array()));
                return new Result(Double.NaN, correct, true);
            }
            optimizer.step(rate);
            return new Result(fit, correct, false);
        }
    }

    static double correct(NDArray scores, NDArray labels) {
        return scores.argMax(1).toType(DataType.INT64, false)
                .eq(labels.toType(DataType.INT64, false)).sum().getLong();
    }

    private List<NDArray> kernelArrays() {
        List<NDArray> arrays = new ArrayList<>(sphereKernels.size());
        for (Parameter p : sphereKernels) {
            arrays.add(p.getArray());
        }
        return arrays;
    }
}
