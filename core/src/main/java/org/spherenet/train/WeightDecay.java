package org.spherenet.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spherenet.nn.OrthogonalityRegularizer;

/**
 * Which parameters get L2 weight decay. The authors decay the classifier, the plain convolutions
 * and the BatchNorm parameters, but not the SphereConv kernels, whose scale means nothing (the
 * orthogonality regulariser acts on them instead), nor the learnable curvatures.
 */
public enum WeightDecay {
    AUTHORS,
    GLOBAL,
    NONE;

    /** Parses {@code authors}, {@code global} or {@code none}. */
    public static WeightDecay parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown weight decay mode '" + name + "' (expected authors, global or none)");
        }
    }

    /** The network's parameters, each with the decay this policy gives it. */
    public List<TrainableParameter> assign(Block network, double coefficient) {
        Map<Parameter, Boolean> sphereKernels = new IdentityHashMap<>();
        for (Parameter p : OrthogonalityRegularizer.sphereKernels(network)) {
            sphereKernels.put(p, true);
        }
        List<TrainableParameter> params = new ArrayList<>();
        for (Pair<String, Parameter> pair : network.getParameters()) {
            Parameter p = pair.getValue();
            if (!p.requiresGradient()) {
                continue; // running statistics
            }
            boolean decayed;
            switch (this) {
                case GLOBAL:
                    decayed = true;
                    break;
                case NONE:
                    decayed = false;
                    break;
                default:
                    decayed = !sphereKernels.containsKey(p) && !p.getName().equals("kappa");
            }
            params.add(new TrainableParameter(pair.getKey(), p, decayed ? coefficient : 0));
        }
        return params;
    }
}
