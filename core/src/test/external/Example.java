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
import org.spherenet.loss.AngularClassifier;
import org.spherenet.loss.GaSoftmaxLoss;
import org.spherenet.nn.Angular;
import org.spherenet.train.Optimizer;
import org.spherenet.train.WeightDecay;
import org.spherenet.nn.SphereConv2d;

/**
 * A user's program around the README's ten lines (external-project.sh puts them where the marker
 * is), built outside this repository against the spherenet-core artifact: one step as the README
 * shows it, then more of the same steps, which must lower the loss on this batch.
 */
public class Example {
    public static void main(String[] args) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            Engine.getInstance().setRandomSeed(1);
            NDArray images = manager.randomNormal(new Shape(8, 1, 28, 28));
            NDArray labels = manager.create(new float[] {0, 1, 2, 3, 4, 5, 6, 7});
            // README example
            float first = loss.evaluate(new NDList(labels), net.forward(store, new NDList(images), true)).getFloat();
            float last = first;
            for (int i = 0; i < 10; i++) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray value = loss.evaluate(new NDList(labels), net.forward(store, new NDList(images), true));
                    collector.backward(value);
                    last = value.getFloat();
                }
                adam.step(1e-2);
            }
            System.out.printf("loss after the README's step %.4f, after 10 more %.4f%n", first, last);
            if (!(last < first)) {
                throw new AssertionError("the loss did not fall");
            }
        }
    }
}
