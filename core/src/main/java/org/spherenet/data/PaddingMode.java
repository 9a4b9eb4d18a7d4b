package org.spherenet.data;

/**
 * How {@link PadCrop} fills the border. For a row {@code a b c d} padded by 2 on the left:
 *
 * <ul>
 *   <li>{@code ZERO}: {@code 0 0 | a b c d};
 *   <li>{@code REFLECT}: {@code c b | a b c d}, mirror without repeating the edge (numpy/PyTorch
 *       {@code reflect});
 *   <li>{@code SYMMETRIC}: {@code b a | a b c d}, mirror repeating the edge (numpy {@code
 *       symmetric}).
 * </ul>
 */
public enum PaddingMode {
    ZERO,
    REFLECT,
    SYMMETRIC;

    /**
     * Maps a coordinate of the padded image back into {@code [0, n)}, or -1 for a zero pixel.
     *
     * @param i the coordinate, may be negative or {@code >= n}
     * @param n the unpadded length
     * @return the source coordinate, or -1
     */
    int source(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        switch (this) {
            case ZERO:
                return -1;
            case REFLECT:
                if (n == 1) {
                    return 0;
                }
                int period = 2 * (n - 1);
                int r = Math.floorMod(i, period);
                return r < n ? r : period - r;
            case SYMMETRIC:
                int s = Math.floorMod(i, 2 * n);
                return s < n ? s : 2 * n - 1 - s;
            default:
                throw new AssertionError(this);
        }
    }
}
