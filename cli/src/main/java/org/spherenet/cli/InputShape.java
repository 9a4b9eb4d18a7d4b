package org.spherenet.cli;

import ai.djl.ndarray.types.Shape;

/** Parses {@code C,H,W}. */
final class InputShape {

    private InputShape() {}

    static Shape parse(String text) {
        String[] parts = text.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("input shape must be C,H,W, got '" + text + "'");
        }
        long[] dims = new long[3];
        for (int i = 0; i < 3; i++) {
            try {
                dims[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("input shape must be C,H,W, got '" + text + "'");
            }
            if (dims[i] < 1) {
                throw new IllegalArgumentException("input shape must be positive, got '" + text + "'");
            }
        }
        return new Shape(dims);
    }
}
