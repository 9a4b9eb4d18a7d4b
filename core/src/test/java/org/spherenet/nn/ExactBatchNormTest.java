package org.spherenet.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ExactBatchNorm against the float64 formulas: in a float64 network its momentum and epsilon are
 * the exact 0.1 and 1e-5, where DJL's BatchNorm (floats) is off by 2.4e-7 in the running update
 * and, on small variances, by 1e-7 in the output. Both checks fail with DJL's block.
 */
class ExactBatchNormTest {

    @Test
    void float64TrainingStepMatchesTheFormulasToRoundingError() {
        check(true);
    }

    /** The authors' convention: the running variance averages the biased batch variance. */
    @Test
    void biasedRunningVarianceAveragesWhatTfNnMomentsReturns() {
        check(false);
    }

    private static void check(boolean unbiased) {
        int batch = 4;
        int channels = 3;
        int size = 5;
        double[] x = new double[batch * channels * size * size];
        Random random = new Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = 1e-3 * random.nextGaussian() + 0.5; // a variance of 1e-6: epsilon matters
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ExactBatchNorm bn = new ExactBatchNorm(0.9, 1e-5, unbiased);
            Shape shape = new Shape(batch, channels, size, size);
            bn.initialize(manager, DataType.FLOAT64, shape);
            NDArray input = manager.create(x, shape);
            input.setRequiresGradient(true);
            double[] out;
            // with a backward pass: the running statistics change in place, which autograd must
            // not see (it refused the first version of the biased update)
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = bn.forward(new ParameterStore(manager, false), new NDList(input), true)
                        .singletonOrThrow();
                collector.backward(y.square().sum());
                out = y.toDoubleArray();
            }
            assertThat(java.util.Arrays.stream(input.getGradient().toDoubleArray()).allMatch(Double::isFinite)).isTrue();
            double[] runningMean = bn.getParameters().get("runningMean").getArray().toDoubleArray();
            double[] runningVar = bn.getParameters().get("runningVar").getArray().toDoubleArray();
            int n = batch * size * size;
            for (int c = 0; c < channels; c++) {
                double mean = 0;
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < size * size; i++) {
                        mean += x[(b * channels + c) * size * size + i];
                    }
                }
                mean /= n;
                double squares = 0;
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < size * size; i++) {
                        double d = x[(b * channels + c) * size * size + i] - mean;
                        squares += d * d;
                    }
                }
                double variance = squares / n;
                assertThat(runningMean[c]).isCloseTo(0.1 * mean, within(1e-15 * mean));
                double expectedVar = 0.9 + 0.1 * squares / (unbiased ? n - 1 : n); // from 1
                assertThat(runningVar[c]).isCloseTo(expectedVar, within(1e-15));
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < size * size; i++) {
                        int k = (b * channels + c) * size * size + i;
                        double expected = (x[k] - mean) / Math.sqrt(variance + 1e-5);
                        assertThat(out[k]).isCloseTo(expected, within(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void parametersHaveDjlsNamesOrderAndInitialValues() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ExactBatchNorm bn = new ExactBatchNorm(0.999, 1e-3);
            bn.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 4, 4));
            assertThat(bn.getParameters().keys())
                    .containsExactly("gamma", "beta", "runningMean", "runningVar");
            assertThat(bn.getParameters().get("gamma").getArray().toFloatArray()).containsOnly(1f);
            assertThat(bn.getParameters().get("beta").getArray().toFloatArray()).containsOnly(0f);
            assertThat(bn.getParameters().get("runningMean").getArray().toFloatArray()).containsOnly(0f);
            assertThat(bn.getParameters().get("runningVar").getArray().toFloatArray()).containsOnly(1f);
            assertThat(bn.getParameters().get("runningVar").requiresGradient()).isFalse();
        }
    }

    private static org.assertj.core.data.Offset<Double> within(double tolerance) {
        return org.assertj.core.data.Offset.offset(Math.abs(tolerance));
    }
}
