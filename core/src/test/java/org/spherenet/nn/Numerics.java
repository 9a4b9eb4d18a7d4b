package org.spherenet.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.Function;

/** Test helpers: seeded random data, error measures, and gradients through DJL's autograd. */
final class Numerics {

    private Numerics() {}

    /** Gaussian values that are exactly representable in float32, so both sides see one input. */
    static double[] gaussian(Random random, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    static NDArray array(NDManager manager, double[] values, Shape shape, DataType type) {
        NDArray a = manager.create(values, shape);
        return type == DataType.FLOAT64 ? a : a.toType(type, false);
    }

    static double[] values(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /**
     * Norm-wise relative error {@code max|actual - expected| / max|expected|}; the absolute error
     * when the expected values are all zero.
     */
    static double relativeError(double[] actual, double[] expected) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        if (actual.length != expected.length) {
            return Double.POSITIVE_INFINITY;
        }
        return scale == 0 ? diff : diff / scale;
    }

    static boolean allFinite(double[] v) {
        for (double d : v) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code f} on arrays that collect gradients, back-propagates {@code sum(upstream *
     * f(inputs))}, and returns {output, grad of each input}.
     */
    static double[][] outputAndGradients(
            Function<NDArray[], NDArray> f, double[] upstream, NDArray... inputs) {
        for (NDArray in : inputs) {
            in.setRequiresGradient(true);
        }
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out = f.apply(inputs);
            NDArray up = out.getManager().create(upstream, out.getShape()).toType(out.getDataType(), false);
            collector.backward(out.mul(up).sum());
            double[][] result = new double[inputs.length + 1][];
            result[0] = values(out);
            for (int i = 0; i < inputs.length; i++) {
                result[i + 1] = values(inputs[i].getGradient());
            }
            return result;
        }
    }

    /**
     * Central finite differences of {@code sum(upstream * f(values))} with respect to {@code
     * values[which]}, evaluated in float64 through {@code f}.
     */
    static double[] finiteDifference(
            NDManager manager,
            Function<NDArray[], NDArray> f,
            double[] upstream,
            double[][] values,
            Shape[] shapes,
            int which,
            double h) {
        double[] grad = new double[values[which].length];
        for (int i = 0; i < grad.length; i++) {
            double keep = values[which][i];
            values[which][i] = keep + h;
            double plus = weightedSum(manager, f, upstream, values, shapes);
            values[which][i] = keep - h;
            double minus = weightedSum(manager, f, upstream, values, shapes);
            values[which][i] = keep;
            grad[i] = (plus - minus) / (2 * h);
        }
        return grad;
    }

    private static double weightedSum(
            NDManager manager,
            Function<NDArray[], NDArray> f,
            double[] upstream,
            double[][] values,
            Shape[] shapes) {
        try (NDManager step = manager.newSubManager()) {
            NDArray[] in = new NDArray[values.length];
            for (int i = 0; i < values.length; i++) {
                in[i] = step.create(values[i], shapes[i]);
            }
            NDArray out = f.apply(in);
            double[] o = values(out);
            double s = 0;
            for (int i = 0; i < o.length; i++) {
                s += o[i] * upstream[i];
            }
            return s;
        }
    }
}
