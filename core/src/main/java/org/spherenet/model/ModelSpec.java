package org.spherenet.model;

/**
 * Everything that fixes a network: its family and depth, the width multiplier, how convolutions
 * are made, the classifier, and the input it adapts to.
 *
 * @param family the architecture ({@code plain}, {@code resnet-cifar}, {@code resnet-imagenet})
 * @param depth the depth within the family (9, 18, 38, 69; 32; 18, 34)
 * @param width multiplier of the paper's channel widths ({@code > 0}; 1 is the paper's)
 * @param style operator, SphereNorm and BatchNorm settings
 * @param head the classifier and its loss
 * @param fc6BatchNorm BatchNorm on the plain nets' fc6 (the authors' published runs had it)
 * @param classes number of classes
 * @param channels input channels
 * @param height input height
 * @param width input width
 */
public record ModelSpec(
        String family,
        int depth,
        double width,
        ConvStyle style,
        Head head,
        boolean fc6BatchNorm,
        int classes,
        int channels,
        int height,
        int inputWidth) {

    /** Validates the sizes. */
    public ModelSpec {
        if (!(width > 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("width multiplier must be > 0, got " + width);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        if (channels < 1 || height < 1 || inputWidth < 1) {
            throw new IllegalArgumentException(
                    "bad input shape " + channels + "x" + height + "x" + inputWidth);
        }
    }

    /** Channels scaled by the width multiplier, at least 1. */
    public int scaled(int paperChannels) {
        return Math.max(1, (int) Math.round(paperChannels * width));
    }
}
