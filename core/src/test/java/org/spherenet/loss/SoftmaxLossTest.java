package org.spherenet.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The baseline softmax loss and the shared cross-entropy against a hand-written float64 one. */
class SoftmaxLossTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void lossEqualsHandCrossEntropyWithAndWithoutTheAuthorsSwitches() {
        Random random = new Random(5);
        int batch = 7;
        int classes = 10;
        double[] logits = LossNumerics.gaussian(random, batch * classes, 3);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(classes);
        }
        try (NDManager m = manager.newSubManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                double tolerance = type == DataType.FLOAT64 ? 1e-12 : 1e-5;
                NDList pred = new NDList(m.create(logits, new Shape(batch, classes)).toType(type, false));
                // labels as float (DJL's usual) and as int
                for (NDArray l : new NDArray[] {m.create(labels), m.create(labels).toType(DataType.FLOAT32, false)}) {
                    NDList lab = new NDList(l);
                    assertThat(new SoftmaxLoss().evaluate(lab, pred).toType(DataType.FLOAT64, false).getDouble())
                            .isCloseTo(LossNumerics.crossEntropy(logits, labels, 0, 0), within(tolerance));
                    assertThat(new SoftmaxLoss(0.01, 1e-4).evaluate(lab, pred).toType(DataType.FLOAT64, false).getDouble())
                            .isCloseTo(LossNumerics.crossEntropy(logits, labels, 0.01, 1e-4), within(tolerance));
                    assertThat(new SoftmaxLoss(0.2, 0).evaluate(lab, pred).toType(DataType.FLOAT64, false).getDouble())
                            .isCloseTo(LossNumerics.crossEntropy(logits, labels, 0.2, 0), within(tolerance));
                }
            }
        }
    }

    @Test
    void gradientOfPlainCrossEntropyIsSoftmaxMinusTargetOverBatch() {
        double[] logits = {2, -1, 0.5, 0, 3, -2};
        int[] labels = {2, 1};
        double smoothing = 0.1;
        try (NDManager m = manager.newSubManager()) {
            NDArray z = m.create(logits, new Shape(2, 3));
            z.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(new SoftmaxLoss(smoothing, 0).evaluate(new NDList(m.create(labels)), new NDList(z)));
            }
            double[] grad = z.getGradient().toDoubleArray();
            for (int i = 0; i < 2; i++) {
                double sum = 0;
                for (int j = 0; j < 3; j++) {
                    sum += Math.exp(logits[i * 3 + j]);
                }
                for (int j = 0; j < 3; j++) {
                    double t = (j == labels[i] ? 1 - smoothing : 0) + smoothing / 3;
                    double expected = (Math.exp(logits[i * 3 + j]) / sum - t) / 2;
                    assertThat(grad[i * 3 + j]).isCloseTo(expected, within(1e-14));
                }
            }
        }
    }

    @Test
    void extremeLogitsGiveFiniteExactLoss() {
        double[] logits = {1000, 0, -1000, -1000, 0, 1000};
        int[] labels = {0, 0};
        try (NDManager m = manager.newSubManager()) {
            NDList pred = new NDList(m.create(logits, new Shape(2, 3)).toType(DataType.FLOAT32, false));
            double plain = new SoftmaxLoss().evaluate(new NDList(m.create(labels)), pred).toType(DataType.FLOAT64, false).getDouble();
            // sample 0: log-prob 0; sample 1: -2000
            assertThat(plain).isCloseTo(1000, within(1e-3));
            double floored = new SoftmaxLoss(0, 1e-4).evaluate(new NDList(m.create(labels)), pred).toType(DataType.FLOAT64, false).getDouble();
            // the floor caps a hopeless sample's loss at -log(1e-4)
            assertThat(floored).isCloseTo((-Math.log(1 + 1e-4) - Math.log(1e-4)) / 2, within(1e-5));
        }
    }
}
