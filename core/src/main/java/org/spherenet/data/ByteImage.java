package org.spherenet.data;

/**
 * One uint8 image in CHW layout: {@code pixels[(c * height + y) * width + x]}, values 0..255 read
 * with {@code & 0xFF}.
 *
 * @param pixels the pixel bytes, length {@code channels * height * width}
 * @param channels number of channels (1 grey, 3 RGB)
 * @param height image height
 * @param width image width
 */
public record ByteImage(byte[] pixels, int channels, int height, int width) {

    /** Checks that the pixel array matches the shape. */
    public ByteImage {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException(
                    "expected "
                            + channels * height * width
                            + " pixels for "
                            + channels
                            + "x"
                            + height
                            + "x"
                            + width
                            + ", got "
                            + pixels.length);
        }
    }

    /**
     * Returns the pixel value at (channel, row, column).
     *
     * @param c channel
     * @param y row
     * @param x column
     * @return the value 0..255
     */
    public int get(int c, int y, int x) {
        return pixels[(c * height + y) * width + x] & 0xFF;
    }

    /**
     * Returns the number of pixel values, {@code channels * height * width}.
     *
     * @return the element count
     */
    public int size() {
        return pixels.length;
    }
}
