package org.spherenet.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.spherenet.nn.FusedBackward;
import org.spherenet.nn.OrthogonalityRegularizer;

/**
 * One optimisation step: forward, loss plus the orthogonality penalty, backward, the finite-gradient
 * guard, update. {@link Training} and the benchmark both call it, so the benchmark times exactly the
 * training loop's step. A step whose loss or gradients are not finite changes nothing: no weight is
 * updated and BatchNorm's running statistics, which the forward pass moved, are put back.
 */
public final class TrainingStep {

    /**
     * What a step reports.
     *
     * @param loss the fit loss (without regularisers), NaN when the step was skipped
     * @param correct how many images of the batch were classified correctly
     * @param nonFinite what was not finite ("the loss" or "a gradient"), or null for a step taken
     */
    public record Result(double loss, double correct, String nonFinite) {

        /** Whether the update was skipped for a non-finite loss or gradient. */
        public boolean skipped() {
            return nonFinite != null;
        }
    }

    private final Block network;
    private final Loss loss;
    private final List<TrainableParameter> params;
    private final List<Parameter> sphereKernels;
    private final Optimizer optimizer;
    private final double orthogonality;
    private final List<Parameter> forwardState;

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
        this.forwardState = forwardState(network);
    }

    /** Runs one step on a batch with learning rate {@code rate}; temporaries live in a scope. */
    public Result run(ParameterStore store, NDArray images, NDList labels, double rate) {
        return run(store, images, labels, rate, params -> {});
    }

    /**
     * Runs one step, showing {@code gradientObserver} the finite gradients before the update.
     * Arrays the observer makes belong to the step's scope.
     */
    public Result run(ParameterStore store, NDArray images, NDList labels, double rate,
            Consumer<List<TrainableParameter>> gradientObserver) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> stateBefore = new ArrayList<>(forwardState.size());
            forwardState.forEach(p -> stateBefore.add(p.getArray().duplicate()));
            Result result = apply(backward(store, images, labels), rate, gradientObserver);
            if (result.skipped()) {
                for (int i = 0; i < forwardState.size(); i++) {
                    forwardState.get(i).getArray().set(new NDIndex("..."), stateBefore.get(i)); // a copy
                }
            }
            return result;
        }
    }

    /**
     * The first half of a step, forward and backward: the gradients are added to the parameters'
     * (cleared ones, normally) and nothing is updated. A data-parallel replica stops here and
     * ships its gradients. Temporaries belong to the caller's scope.
     *
     * @return the fit loss and the correct count; {@code nonFinite} is set when the loss is not finite
     */
    public Result backward(ParameterStore store, NDArray images, NDList labels) {
        double fit;
        double correct;
        // DJL allows one gradient collector per process at a time: runs that share a JVM (Spark
        // tasks in one executor) take turns for the forward and backward pass
        synchronized (GradientCollector.class) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                    FusedBackward fused = FusedBackward.record(images)) {
                NDList predictions = network.forward(store, new NDList(images), true);
                NDArray fitLoss = loss.evaluate(labels, predictions);
                NDArray total = fitLoss;
                if (orthogonality > 0 && !sphereKernels.isEmpty()) {
                    total = total.add(OrthogonalityRegularizer.penalty(kernelArrays(), orthogonality));
                }
                collector.backward(total);
                fused.backward(); // through the SphereConvs that ran fused, outside autograd
                fit = Scalars.value(fitLoss);
                correct = correct(predictions.head(), labels.head());
            }
        }
        return new Result(fit, correct, Double.isFinite(fit) ? null : "the loss");
    }

    /**
     * The second half of a step: the update from the gradients the parameters hold (left by
     * {@link #backward}, or averaged over replicas and put there), unless {@code gradients} says the
     * loss was not finite or a gradient is not finite; then the gradients are cleared and nothing
     * changes. BatchNorm's running statistics are the caller's to put back.
     */
    public Result apply(Result gradients, double rate, Consumer<List<TrainableParameter>> gradientObserver) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            if (gradients.skipped() || !Gradients.allFinite(params)) {
                params.forEach(p -> Gradients.reset(p.array()));
                return new Result(Double.NaN, gradients.correct(),
                        gradients.skipped() ? gradients.nonFinite() : "a gradient");
            }
            gradientObserver.accept(params);
            optimizer.step(rate);
            return gradients;
        }
    }

    /** Zeroes every gradient, also non-finite ones (a replica that failed mid-step left some). */
    public void clearGradients() {
        params.forEach(p -> Gradients.reset(p.array()));
    }

    /** The parameters the optimiser updates. */
    public List<TrainableParameter> parameters() {
        return params;
    }

    /** What the forward pass changes besides the trainable weights: BatchNorm's running statistics. */
    public List<Parameter> forwardState() {
        return forwardState;
    }

    /** The update rule. */
    public Optimizer optimizer() {
        return optimizer;
    }

    static double correct(NDArray scores, NDArray labels) {
        return scores.argMax(1).toType(DataType.INT64, false)
                .eq(labels.toType(DataType.INT64, false)).sum().getLong();
    }

    private static List<Parameter> forwardState(Block network) {
        List<Parameter> state = new ArrayList<>();
        for (Pair<String, Parameter> p : network.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                state.add(p.getValue());
            }
        }
        return state;
    }

    private List<NDArray> kernelArrays() {
        List<NDArray> arrays = new ArrayList<>(sphereKernels.size());
        for (Parameter p : sphereKernels) {
            arrays.add(p.getArray());
        }
        return arrays;
    }
}
