package org.spherenet.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import org.spherenet.nn.Angular;

/**
 * The authors' plain CIFAR network and its deeper versions (SphereNet-N / CNN-N): three stages of
 * 3x3 convolutions of widths 128 / 192 / 256 (times the width multiplier), each conv followed by
 * BatchNorm and ReLU, a 2x2 max-pool after each stage; then "fc6", a valid convolution over what
 * is left of the image (4x4 for 32x32 input, 3x3 for 28x28) to the last stage's width, without
 * ReLU (a cosine SphereConv in SphereNets, as the authors have it); then the classifier.
 *
 * <p>Depth N counts the 3x3 convolutions of the stages, split as evenly as possible: 9 = 3+3+3, 18
 * = 6+6+6, 38 = 13+13+12, 69 = 23+23+23.
 */
public final class PlainNet {

    static final int[] PAPER_WIDTHS = {128, 192, 256};

    private PlainNet() {}

    /** Layers per stage for depth N. */
    public static int[] stageDepths(int depth) {
        if (depth < 3) {
            throw new IllegalArgumentException("plain nets need depth >= 3, got " + depth);
        }
        int[] stages = new int[3];
        for (int i = 0; i < 3; i++) {
            stages[i] = depth / 3 + (i < depth % 3 ? 1 : 0);
        }
        return stages;
    }

    /** Builds the network. */
    public static SequentialBlock build(ModelSpec spec) {
        ConvStyle style = spec.style();
        SequentialBlock net = new ReleasingSequentialBlock();
        int[] depths = stageDepths(spec.depth());
        long height = spec.height();
        long width = spec.inputWidth();
        for (int stage = 0; stage < 3; stage++) {
            int filters = spec.scaled(PAPER_WIDTHS[stage]);
            for (int layer = 0; layer < depths[stage]; layer++) {
                net.add(style.unit(filters, 3, 1, 1, true));
            }
            net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            height /= 2;
            width /= 2;
        }
        if (height < 1 || width < 1 || height != width) {
            throw new IllegalArgumentException(
                    "plain nets need a square input of at least 8x8, got "
                            + spec.height()
                            + "x"
                            + spec.inputWidth());
        }
        // fc6: the authors use the cosine SphereConv here in every SphereNet
        ConvStyle fc6 =
                style.operator().isSphere()
                        ? style.withOperator(Operator.sphere(Angular.cosine()))
                        : style;
        net.add(fc6.unit(spec.scaled(PAPER_WIDTHS[2]), (int) height, 1, 0, false, spec.fc6BatchNorm()));
        net.add(Blocks.batchFlattenBlock());
        net.add(spec.head().block(spec.classes()));
        return net;
    }
}
