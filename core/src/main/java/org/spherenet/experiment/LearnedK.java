package org.spherenet.experiment;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.spherenet.nn.Angular;
import org.spherenet.train.TrainedModel;

/** The k a learnable-sigmoid SphereNet learned, per layer, read from its run folder's final network. */
final class LearnedK {

    private LearnedK() {}

    /** Whether runs of {@code operator} learn a k. */
    static boolean learns(String operator) {
        return operator != null && operator.startsWith("learnable");
    }

    /** {mean, min, max} of k per SphereConv layer of the run's final network. */
    static List<double[]> of(Path runDir) throws IOException {
        List<double[]> layers = new ArrayList<>();
        try (TrainedModel model = TrainedModel.load(runDir)) {
            for (Pair<String, Parameter> p : model.network().getParameters()) {
                if (p.getValue().getName().equals("kappa")) {
                    float[] kappa = p.getValue().getArray().toFloatArray();
                    double sum = 0;
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (float v : kappa) {
                        double k = Angular.learnedK(v);
                        sum += k;
                        min = Math.min(min, k);
                        max = Math.max(max, k);
                    }
                    layers.add(new double[] {sum / kappa.length, min, max});
                }
            }
        }
        return layers;
    }
}
