package org.spherenet.spark;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.List;

/**
 * Arrays as they travel between the driver and the replicas: float64, whatever the network's type
 * (float32 converts exactly, and sums of replicas' contributions keep their precision).
 */
final class Tensors {

    private Tensors() {}

    /** Copies each array into a double array. */
    static double[][] read(List<NDArray> arrays) {
        double[][] values = new double[arrays.size()][];
        for (int i = 0; i < values.length; i++) {
            NDArray a = arrays.get(i);
            try (NDArray asDouble = a.toType(DataType.FLOAT64, true)) {
                values[i] = asDouble.toDoubleArray();
            }
        }
        return values;
    }

    /**
     * Writes {@code values[i] * scale} into {@code arrays[i]} in place (the tensor keeps its own
     * memory; {@code NDArray.set(Buffer)} would not).
     */
    static void write(List<NDArray> arrays, double[][] values, double scale) {
        if (values.length != arrays.size()) {
            throw new IllegalStateException(values.length + " arrays received for " + arrays.size());
        }
        for (int i = 0; i < values.length; i++) {
            NDArray target = arrays.get(i);
            try (NDManager m = target.getManager().newSubManager()) {
                double[] v = values[i];
                if (scale != 1) {
                    v = v.clone();
                    for (int j = 0; j < v.length; j++) {
                        v[j] *= scale;
                    }
                }
                NDArray source = m.create(v, target.getShape()).toType(target.getDataType(), false);
                target.set(new NDIndex("..."), source);
            }
        }
    }

    /**
     * Makes {@code values[i] * scale} the gradient of {@code weights[i]}, through autograd: the
     * gradient of {@code sum(w * g)} is {@code g} exactly, and the gradient then exists as the
     * tensor the optimiser reads (a weight that never had a backward pass has none to write into).
     * The gradients must be clear (they accumulate).
     */
    static void setGradients(List<NDArray> weights, double[][] values, double scale) {
        synchronized (GradientCollector.class) { // one collector per process (see TrainingStep.backward)
            try (NDManager m = weights.get(0).getManager().newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray total = null;
                for (int i = 0; i < values.length; i++) {
                    NDArray w = weights.get(i);
                    if (!w.hasGradient()) {
                        w.setRequiresGradient(true); // a loop that never ran a backward pass may not have it yet
                    }
                    double[] v = values[i].clone();
                    for (int j = 0; j < v.length; j++) {
                        v[j] *= scale;
                    }
                    NDArray g = m.create(v, w.getShape()).toType(w.getDataType(), false);
                    NDArray term = w.mul(g).sum(); // (a type conversion here would cut the graph)
                    total = total == null ? term : total.add(term);
                }
                collector.backward(total);
            }
        }
    }

    /** {@code sum += values * weight}, element by element; a null sum becomes a scaled copy. */
    static double[][] addScaled(double[][] sum, double[][] values, double weight) {
        if (sum == null) {
            sum = new double[values.length][];
            for (int i = 0; i < values.length; i++) {
                sum[i] = new double[values[i].length];
            }
        }
        for (int i = 0; i < values.length; i++) {
            double[] s = sum[i];
            double[] v = values[i];
            for (int j = 0; j < v.length; j++) {
                s[j] += v[j] * weight;
            }
        }
        return sum;
    }

    /** Element count times eight: the bytes {@code values} takes on the wire, roughly. */
    static long bytes(double[][] values) {
        long n = 0;
        if (values != null) {
            for (double[] v : values) {
                n += 8L * v.length;
            }
        }
        return n;
    }
}
