package org.spherenet.cli;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.spherenet.train.ModelInfo;
import org.spherenet.train.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spherenet predict}: the top classes of image files. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify image files (PNG, JPEG, ...) with a run's checkpoint.")
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run folder.")
    Path runDir;

    @Parameters(index = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Option(names = "--top", description = "How many classes to show (default: ${DEFAULT-VALUE}).")
    int top = 3;

    @Override
    public Integer call() throws Exception {
        if (top < 1) {
            throw new IllegalArgumentException("--top must be >= 1, got " + top);
        }
        try (TrainedModel model = TrainedModel.load(runDir)) {
            TrainCommand.warnIfFallenBack(model.restored());
            ModelInfo info = model.info();
            for (Path image : images) {
                float[] pixels = ImageInput.read(image, info.channels(), info.height(), info.width());
                NDArray input = model.manager().create(pixels,
                        new ai.djl.ndarray.types.Shape(1, info.channels(), info.height(), info.width()));
                float[] probabilities = model.logits(input).softmax(1).toFloatArray();
                input.close();
                System.out.println(image);
                Integer[] order = new Integer[probabilities.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                java.util.Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
                for (int k = 0; k < Math.min(top, order.length); k++) {
                    System.out.printf("  %-14s %6.2f%%%n", info.classNames().get(order[k]), 100 * probabilities[order[k]]);
                }
            }
        }
        return 0;
    }
}
