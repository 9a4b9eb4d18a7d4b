package org.spherenet.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spherenet.bench.BenchResult;
import org.spherenet.bench.StepBenchmark;
import org.spherenet.nn.FusedBackward;
import org.spherenet.train.FiniteJson;
import org.spherenet.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spherenet bench}: training-step or inference throughput on synthetic data. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Time training steps (forward, loss, backward, Adam update) or inference passes of a network",
            "on one synthetic batch: median and spread of ms/step, images/s, GFLOP/s, peak resident memory."
        })
final class BenchCommand implements Callable<Integer> {

    private static final TrainConfig DEFAULTS = new TrainConfig();

    @Option(names = "--model", description = "Network, see 'spherenet models' (default: ${DEFAULT-VALUE}).")
    String model = DEFAULTS.model;

    @Option(names = "--operator", description = "conv, linear, cosine, sigmoid(K), learnable-sigmoid (default: the model's).")
    String operator;

    @Option(names = "--width", description = "Width multiplier of the paper's channels (default: ${DEFAULT-VALUE}).")
    double width = DEFAULTS.width;

    @Option(names = "--batch-size", description = "(default: ${DEFAULT-VALUE})")
    int batchSize = 128;

    @Option(names = "--input", description = "Input shape C,H,W (default: ${DEFAULT-VALUE}).")
    String input = "1,28,28";

    @Option(names = "--classes", description = "(default: ${DEFAULT-VALUE})")
    int classes = 10;

    @Option(names = "--mode", description = "train or inference (default: ${DEFAULT-VALUE}).")
    String mode = "train";

    @Option(names = "--warmup", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup = 3;

    @Option(names = "--steps", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps = 10;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Option(names = "--json", description = "Print one JSON object instead of the table (default: the table).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Shape image = InputShape.parse(input);
        StepBenchmark.Mode benchMode = parseMode(mode);
        threads.apply();
        TrainConfig config = new TrainConfig();
        config.model = model;
        config.operator = operator;
        config.width = width;
        config.batchSize = batchSize;
        Engine.getInstance();
        BenchResult r = StepBenchmark.run(config, image, classes, benchMode, warmup, steps, JniUtils.getNumThreads());
        if (json) {
            System.out.println(FiniteJson.mapper().writeValueAsString(r));
        } else {
            print(r);
        }
        return 0;
    }

    private static StepBenchmark.Mode parseMode(String text) {
        try {
            return StepBenchmark.Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + text + "' (expected train or inference)");
        }
    }

    private static void print(BenchResult r) {
        System.out.printf(Locale.ROOT, "%s %s, operator %s, width %s, batch %d, input %s, %d threads, %d steps%n",
                r.mode(), r.model(), r.operator(), r.width(), r.batch(), r.input(), r.threads(), r.steps());
        System.out.printf(Locale.ROOT, "  ms/step     %9.1f  median (quartiles %.1f-%.1f, range %.1f-%.1f)%n",
                r.medianMs(), r.p25Ms(), r.p75Ms(), r.minMs(), r.maxMs());
        System.out.printf(Locale.ROOT, "  images/s    %9.1f%n", r.imagesPerSecond());
        System.out.printf(Locale.ROOT, "  GFLOP/s     %9.1f  (%.2f GFLOP per step)%n", r.gflops(), r.gflopPerStep());
        System.out.printf(Locale.ROOT, "  peak memory %9.0f  MiB resident%n", r.peakRssMiB());
        System.out.printf(Locale.ROOT, "  SphereConv  %s%n", FusedBackward.kernels());
    }
}
