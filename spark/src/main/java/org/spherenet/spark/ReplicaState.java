package org.spherenet.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.spherenet.train.TrainingStep;

/**
 * What the driver broadcasts before a synchronisation: the weights, BatchNorm's running
 * statistics and (for parameter averaging, where replicas step on their own) the optimiser.
 *
 * @param weights the trainable parameters
 * @param forwardState BatchNorm's running statistics
 * @param optimizer the optimiser's saved state (for its counters), or null when the replicas only
 *     compute gradients
 * @param optimizerState the optimiser's state arrays at full precision (a checkpoint's format,
 *     {@code optimizer}, keeps float32), or null
 */
record ReplicaState(double[][] weights, double[][] forwardState, byte[] optimizer, double[][] optimizerState)
        implements Serializable {

    /** The state of {@code step}'s network (and optimiser, if {@code withOptimizer}). */
    static ReplicaState of(TrainingStep step, boolean withOptimizer) {
        return new ReplicaState(
                Tensors.read(step.parameters().stream().map(p -> p.array()).toList()),
                Tensors.read(step.forwardState().stream().map(p -> p.getArray()).toList()),
                withOptimizer ? saveOptimizer(step) : null,
                withOptimizer ? Tensors.read(step.optimizer().state()) : null);
    }

    /** Puts this state into {@code step}'s network and optimiser, and clears the gradients. */
    void loadInto(TrainingStep step) {
        Tensors.write(step.parameters().stream().map(p -> p.array()).toList(), weights, 1);
        Tensors.write(step.forwardState().stream().map(p -> p.getArray()).toList(), forwardState, 1);
        if (optimizer != null) {
            loadOptimizer(step, optimizer);
            Tensors.write(step.optimizer().state(), optimizerState, 1);
        }
        step.clearGradients();
    }

    /** Bytes on the wire (the arrays as float64). */
    long bytes() {
        return Tensors.bytes(weights) + Tensors.bytes(forwardState) + (optimizer == null ? 0 : optimizer.length)
                + Tensors.bytes(optimizerState);
    }

    static byte[] saveOptimizer(TrainingStep step) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            step.optimizer().save(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void loadOptimizer(TrainingStep step, byte[] saved) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved))) {
            step.optimizer().load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
