package org.spherenet.train;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Adam with bias correction and L2 (coupled) weight decay, as the authors' TensorFlow code. */
final class Adam implements Optimizer {

    private final List<TrainableParameter> params;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private long steps;

    Adam(List<TrainableParameter> params, double beta1, double beta2, double epsilon) {
        this.params = params;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        for (TrainableParameter p : params) {
            firstMoments.add(p.array().zerosLike());
            secondMoments.add(p.array().zerosLike());
        }
    }

    @Override
    public void step(double rate) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        double stepSize = rate * Math.sqrt(correction2) / correction1;
        for (int i = 0; i < params.size(); i++) {
            TrainableParameter p = params.get(i);
            NDArray grad = Optimizer.decayedGradient(p);
            NDArray m = firstMoments.get(i).muli(beta1).addi(grad.mul(1 - beta1));
            NDArray v = secondMoments.get(i).muli(beta2).addi(grad.square().muli(1 - beta2));
            // epsilon on the bias-corrected scale, as in the Adam paper
            NDArray denominator = v.sqrt().addi(epsilon * Math.sqrt(correction2));
            p.array().subi(m.div(denominator).muli(stepSize));
            Gradients.clear(p.array());
        }
    }

    @Override
    public Map<String, List<NDArray>> moments() {
        return Map.of("m", firstMoments, "v", secondMoments);
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeLong(steps);
        for (int i = 0; i < params.size(); i++) {
            ArrayIO.write(out, firstMoments.get(i));
            ArrayIO.write(out, secondMoments.get(i));
        }
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        steps = in.readLong();
        for (int i = 0; i < params.size(); i++) {
            ArrayIO.read(in, firstMoments.get(i));
            ArrayIO.read(in, secondMoments.get(i));
        }
    }
}
