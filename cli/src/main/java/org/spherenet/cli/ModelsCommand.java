package org.spherenet.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.concurrent.Callable;
import org.spherenet.model.Complexity;
import org.spherenet.model.Models;
import org.spherenet.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spherenet models}: the registered networks with their sizes. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"List the networks with parameter counts and FLOPs per image, for the input --input at the width --width.",
            "The plain nets and the CIFAR ResNets are built for 28x28 or 32x32 images, the ImageNet-style ResNets for 224x224."})
final class ModelsCommand implements Callable<Integer> {

    /** The input side the ImageNet-style ResNets are built for. */
    private static final int IMAGENET_SIZE = 224;

    @Option(names = "--width", description = "Width multiplier (default: ${DEFAULT-VALUE}).")
    double width = 1;

    @Option(names = "--input", description = "Input shape C,H,W (default: ${DEFAULT-VALUE}).")
    String input = "3,32,32";

    @Option(names = "--classes", description = "Number of classes (default: ${DEFAULT-VALUE}).")
    int classes = 10;

    @Override
    public Integer call() {
        Shape image = InputShape.parse(input);
        String size = image.get(0) + "x" + image.get(1) + "x" + image.get(2);
        System.out.printf("Parameters and MFLOPs of one %s image (C x H x W, --input), width %s (--width), %d classes%n",
                size, width, classes);
        boolean footnote = false;
        System.out.printf("%-16s %-16s %6s %14s %12s%n", "name", "family", "depth", "parameters", "MFLOPs/img");
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Models.Entry entry : Models.entries()) {
                if (entry.family().equals("resnet-imagenet") && image.get(1) < 32) {
                    continue;
                }
                TrainConfig config = new TrainConfig();
                config.model = entry.name();
                config.width = width;
                Block net = Models.build(config.modelSpec(classes, (int) image.get(0), (int) image.get(1), (int) image.get(2)));
                net.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(image));
                long params = net.getParameters().values().stream()
                        .filter(p -> p.requiresGradient())
                        .mapToLong(p -> p.getArray().size())
                        .sum();
                double mflops = 2.0 * Complexity.multiplyAdds(net, image) / 1e6;
                boolean smallForIt = entry.family().equals("resnet-imagenet") && image.get(1) < IMAGENET_SIZE;
                footnote |= smallForIt;
                System.out.printf("%-16s %-16s %6d %14d %12.1f%s%n", entry.name(), entry.family(), entry.depth(), params,
                        mflops, smallForIt ? " *" : "");
            }
        }
        if (footnote) {
            System.out.printf("* built for %dx%d images: see 'spherenet models --input 3,%d,%d'%n",
                    IMAGENET_SIZE, IMAGENET_SIZE, IMAGENET_SIZE, IMAGENET_SIZE);
        }
        return 0;
    }
}
