package org.spherenet.example;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;
import org.spherenet.loss.AngularClassifier;
import org.spherenet.loss.GaSoftmaxLoss;
import org.spherenet.nn.Angular;
import org.spherenet.nn.SphereConv2d;
import org.spherenet.train.Optimizer;
import org.spherenet.train.WeightDecay;

/** The README's library example, verbatim between the markers: it must keep working. */
class ReadmeExampleTest {

    @Test
    void readmeExampleTrainsOneStepAndLowersTheLoss() {
        float before;
        float after;
        // README example start
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(SphereConv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16)
                            .optPadding(new Shape(1, 1)).optAngular(Angular.sigmoid(0.3)).build())
                    .add(BatchNorm.builder().build()).add(Activation.reluBlock())
                    .add(Pool.globalAvgPool2dBlock())
                    .add(AngularClassifier.of(10));               // cosines + feature norms
            net.initialize(manager, DataType.FLOAT32, new Shape(8, 1, 28, 28));
            Loss loss = GaSoftmaxLoss.gaSoftmax(Angular.linear(), 1.5);   // margin m = 1.5
            Optimizer adam = Optimizer.create("adam", WeightDecay.AUTHORS.assign(net, 5e-4), 0.9);
            NDArray images = manager.randomNormal(new Shape(8, 1, 28, 28));
            NDArray labels = manager.create(new float[] {0, 1, 2, 3, 4, 5, 6, 7});
            ParameterStore store = new ParameterStore(manager, false);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray value = loss.evaluate(new NDList(labels), net.forward(store, new NDList(images), true));
                collector.backward(value);
                before = value.getFloat();
            }
            adam.step(1e-2);                                       // one training step
            // README example end
            after = loss.evaluate(new NDList(labels), net.forward(store, new NDList(images), true)).getFloat();
        }
        assertThat(after).isLessThan(before);
    }
}
