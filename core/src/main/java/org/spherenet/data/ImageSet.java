package org.spherenet.data;

import java.util.List;

/**
 * A whole image dataset in memory: N uint8 images of one shape C x H x W stored back to back
 * (NCHW), their integer labels and the class names.
 *
 * <p>Storing uint8 rather than float keeps CIFAR-10 at 150 MB instead of 600 MB; conversion to
 * float happens per batch.
 *
 * @param pixels N x C x H x W bytes
 * @param labels N labels, each in {@code [0, classNames.size())}
 * @param channels C
 * @param height H
 * @param width W
 * @param classNames the class names; the label is the index in this list
 */
public record ImageSet(
        byte[] pixels, int[] labels, int channels, int height, int width, List<String> classNames) {

    /** Checks that the arrays agree with the shape and the labels with the classes. */
    public ImageSet {
        classNames = List.copyOf(classNames);
        long imageSize = (long) channels * height * width;
        if (imageSize <= 0 || pixels.length != imageSize * labels.length) {
            throw new IllegalArgumentException(
                    labels.length + " labels but " + pixels.length + " pixel bytes");
        }
        for (int label : labels) {
            if (label < 0 || label >= classNames.size()) {
                throw new IllegalArgumentException(
                        "label " + label + " outside 0.." + (classNames.size() - 1));
            }
        }
    }

    /**
     * Returns the number of images N.
     *
     * @return N
     */
    public int size() {
        return labels.length;
    }

    /**
     * Returns a copy of image {@code index}, so that an augmentation may change it in place.
     *
     * @param index the image index, 0..N-1
     * @return the image, C x H x W
     */
    public ByteImage image(int index) {
        int imageSize = channels * height * width;
        byte[] copy = new byte[imageSize];
        System.arraycopy(pixels, index * imageSize, copy, 0, imageSize);
        return new ByteImage(copy, channels, height, width);
    }

    /**
     * Returns the raw pixel value of image {@code index} at (channel, row, column).
     *
     * @param index the image index
     * @param c channel
     * @param y row
     * @param x column
     * @return the value 0..255
     */
    public int pixel(int index, int c, int y, int x) {
        return pixels[((index * channels + c) * height + y) * width + x] & 0xFF;
    }
}
