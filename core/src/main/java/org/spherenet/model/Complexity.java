package org.spherenet.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import org.spherenet.loss.AngularClassifier;
import org.spherenet.nn.SphereConv2d;
import org.spherenet.nn.SphereLinear;
import org.spherenet.nn.SphereNorm;

/**
 * Multiply-adds of a network's forward pass per image, counted from the convolutions and
 * fully-connected layers (everything else is a small share). A SphereConv also counts its
 * patch-norm convolution. FLOPs are twice the multiply-adds.
 */
public final class Complexity {

    private Complexity() {}

    /**
     * Multiply-adds of one forward pass for one image.
     *
     * @param network an initialised network
     * @param image the input shape of one image, {@code (C, H, W)}
     */
    public static long multiplyAdds(Block network, Shape image) {
        return count(network, new Shape(1).addAll(image));
    }

    private static long count(Block block, Shape input) {
        if (block instanceof SequentialBlock) {
            long total = 0;
            Shape shape = input;
            for (Block child : block.getChildren().values()) {
                total += count(child, shape);
                shape = child.getOutputShapes(new Shape[] {shape})[0];
            }
            return total;
        } else if (block instanceof ParallelBlock) {
            long total = 0;
            for (Block child : block.getChildren().values()) {
                total += count(child, input);
            }
            return total;
        } else if (block instanceof SphereNorm) {
            return count(((SphereNorm) block).getSphereConv(), input);
        } else if (block instanceof SphereConv2d || block instanceof Convolution) {
            Shape out = block.getOutputShapes(new Shape[] {input})[0];
            Shape weight = block.getParameters().get("weight").getArray().getShape();
            long positions = out.get(2) * out.get(3);
            long kernel = weight.get(2) * weight.get(3);
            long macs = positions * out.get(1) * weight.get(1) * kernel;
            // the patch norm: a single-channel ones-kernel convolution of the squared input
            return block instanceof SphereConv2d ? macs + positions * kernel : macs;
        } else if (block instanceof Linear
                || block instanceof SphereLinear
                || block instanceof AngularClassifier) {
            return block.getParameters().get("weight").getArray().size();
        }
        return 0;
    }
}
