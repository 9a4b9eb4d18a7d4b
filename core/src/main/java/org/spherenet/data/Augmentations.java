package org.spherenet.data;

import java.util.List;
import java.util.SplittableRandom;

/** Factories for the usual augmentation recipes. */
public final class Augmentations {

    private Augmentations() {}

    /**
     * Returns the augmentations applied one after the other, sharing the sample's random stream.
     *
     * @param steps the augmentations in order
     * @return the composition
     */
    public static Augmentation compose(Augmentation... steps) {
        List<Augmentation> list = List.of(steps);
        return new Augmentation() {
            @Override
            public ByteImage apply(ByteImage image, SplittableRandom random) {
                ByteImage out = image;
                for (Augmentation step : list) {
                    out = step.apply(out, random);
                }
                return out;
            }

            @Override
            public String toString() {
                return list.toString();
            }
        };
    }

    /**
     * Returns a horizontal flip with probability 0.5, the authors' plain CIFAR-10 augmentation.
     *
     * @return the augmentation
     */
    public static Augmentation flip() {
        return new HorizontalFlip(0.5);
    }

    /**
     * Returns the CIFAR-10+ augmentation: reflect-pad 4, random 32 x 32 crop, flip with p = 0.5.
     *
     * @return the augmentation
     */
    public static Augmentation cifarPlus() {
        return compose(new PadCrop(4, 32, PaddingMode.REFLECT), new HorizontalFlip(0.5));
    }

    /**
     * Parses a recipe name: {@code none} (null: no augmentation), {@code flip} or {@code
     * cifar-plus}.
     *
     * @param name the recipe
     * @return the augmentation, or null for {@code none}
     * @throws IllegalArgumentException naming the valid recipes
     */
    public static Augmentation parse(String name) {
        switch (name) {
            case "none":
                return null;
            case "flip":
                return flip();
            case "cifar-plus":
                return cifarPlus();
            default:
                throw new IllegalArgumentException(
                        "unknown augmentation '" + name + "' (expected none, flip or cifar-plus)");
        }
    }
}
