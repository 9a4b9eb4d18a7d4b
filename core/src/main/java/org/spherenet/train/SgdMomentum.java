package org.spherenet.train;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SGD with (heavy-ball) momentum and L2 weight decay, PyTorch's formulation. */
final class SgdMomentum implements Optimizer {

    private final List<TrainableParameter> params;
    private final double momentum;
    private final List<NDArray> velocities = new ArrayList<>();

    SgdMomentum(List<TrainableParameter> params, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.params = params;
        this.momentum = momentum;
        for (TrainableParameter p : params) {
            velocities.add(p.array().zerosLike());
        }
    }

    @Override
    public void step(double rate) {
        for (int i = 0; i < params.size(); i++) {
            TrainableParameter p = params.get(i);
            NDArray velocity = velocities.get(i).muli(momentum).addi(Optimizer.decayedGradient(p));
            p.array().subi(velocity.mul(rate));
            Gradients.clear(p.array());
        }
    }

    @Override
    public Map<String, List<NDArray>> moments() {
        return Map.of("velocity", velocities);
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        for (NDArray v : velocities) {
            ArrayIO.write(out, v);
        }
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        for (NDArray v : velocities) {
            ArrayIO.read(in, v);
        }
    }
}
