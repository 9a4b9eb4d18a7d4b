package org.spherenet.train;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Updates parameters in place from their gradients. Unlike DJL's optimisers, the state is created
 * up front (so no per-step scope can close it) and can be saved in a checkpoint, which an exact
 * resume needs.
 */
public interface Optimizer {

    /**
     * Applies one update with learning rate {@code rate} and clears the gradients. Call it outside
     * the gradient collector.
     */
    void step(double rate);

    /**
     * The state arrays by kind ({@code m} and {@code v} for Adam, {@code velocity} for SGD), each
     * list in the order of the parameters it updates; the optimiser's own arrays, not copies.
     * Empty for an optimiser without state.
     */
    default Map<String, List<NDArray>> moments() {
        return Map.of();
    }

    /**
     * Every state array, live, in a fixed order (kinds by name, then parameters): what parameter
     * averaging averages across replicas besides the weights. Counters stay in {@link #save}.
     */
    default List<NDArray> state() {
        List<NDArray> all = new ArrayList<>();
        new TreeMap<>(moments()).values().forEach(all::addAll);
        return all;
    }

    /** Writes the state (moments, step count). */
    void save(DataOutputStream out) throws IOException;

    /** Reads the state written by {@link #save}. */
    void load(DataInputStream in) throws IOException;

    /**
     * Creates an optimiser by name.
     *
     * @param name {@code adam} or {@code sgd} (with momentum)
     * @param params what it updates
     * @param momentum SGD's momentum (Adam uses the usual 0.9 / 0.999)
     */
    static Optimizer create(String name, List<TrainableParameter> params, double momentum) {
        switch (name) {
            case "adam":
                return new Adam(params, 0.9, 0.999, 1e-8);
            case "sgd":
                return new SgdMomentum(params, momentum);
            default:
                throw new IllegalArgumentException(
                        "unknown optimiser '" + name + "' (expected adam or sgd)");
        }
    }

    /** The gradient plus L2 decay, {@code g + decay * w}, on the step's scope. */
    static NDArray decayedGradient(TrainableParameter p) {
        NDArray weight = p.array();
        NDArray grad = weight.getGradient();
        return p.weightDecay() == 0 ? grad : grad.add(weight.mul(p.weightDecay()));
    }
}
