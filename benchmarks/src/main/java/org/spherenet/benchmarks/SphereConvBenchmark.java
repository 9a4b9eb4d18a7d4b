package org.spherenet.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.spherenet.nn.Angular;
import org.spherenet.nn.FusedBackward;
import org.spherenet.nn.SphereConv2d;

/**
 * One 3x3 convolution layer, forward and forward + backward, for each operator: what a SphereConv
 * costs over the plain convolution it is built on, without the rest of a network around it. Two
 * shapes (batch x channels x size): a stage-1 layer of SphereNet-9 at width 0.5 on 32x32 input,
 * batch 32, and one of the main job's network (width 0.125, 28x28, batch 64). Forward + backward
 * runs twice: recorded by autograd, and as a training step runs it ({@link FusedBackward}: the
 * fused kernels where they were built).
 *
 * <p>Run: {@code java -cp 'benchmarks/target/*:benchmarks/target/lib/*' org.openjdk.jmh.Main}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.default_engine=PyTorch"})
public class SphereConvBenchmark {

    /** {@code conv} is the plain convolution; the others are SphereConv's angular functions. */
    @Param({"conv", "linear", "cosine", "sigmoid(0.3)"})
    public String operator;

    /** batch x channels x size. */
    @Param({"32x64x32", "64x16x28"})
    public String shape;

    private NDManager manager;
    private NDArray input;
    private NDArray weight;
    private Angular angular;

    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(1);
        String[] dims = shape.split("x");
        int batch = Integer.parseInt(dims[0]);
        int channels = Integer.parseInt(dims[1]);
        int size = Integer.parseInt(dims[2]);
        input = manager.randomNormal(new Shape(batch, channels, size, size));
        weight = manager.randomNormal(new Shape(channels, channels, 3, 3)).mul(Math.sqrt(2.0 / (9 * channels)));
        input.setRequiresGradient(true);
        weight.setRequiresGradient(true);
        angular = operator.equals("conv") ? null : Angular.parse(operator);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    private NDArray layer() {
        Shape one = new Shape(1, 1);
        return angular == null
                ? Conv2d.conv2d(input, weight, null, one, one).singletonOrThrow()
                : SphereConv2d.sphereConv2d(input, weight, angular, one, one);
    }

    /** Forward only, as in inference (no gradient recorded). */
    @Benchmark
    public float forward() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return layer().getFloat(0, 0, 0, 0);
        }
    }

    /** Forward and backward with respect to input and kernel, as in training. */
    @Benchmark
    public float forwardBackward() {
        try (NDScope scope = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            collector.backward(layer().sum());
            return input.getGradient().getFloat(0, 0, 0, 0);
        }
    }

    /** Forward and backward as a training step runs them ({@link FusedBackward}). */
    @Benchmark
    public float forwardBackwardFused() {
        try (NDScope scope = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector();
                FusedBackward fused = FusedBackward.record()) {
            scope.suppressNotUsedWarning();
            collector.backward(layer().sum());
            fused.backward();
            return input.getGradient().getFloat(0, 0, 0, 0);
        }
    }
}
