package org.spherenet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Reads a one-element array of any floating type (a run trains in float32 or float64). */
final class Scalars {

    private Scalars() {}

    /** The value of a one-element array, as a double (exact for float32 and float64). */
    static double value(NDArray scalar) {
        return scalar.getDataType() == DataType.FLOAT64
                ? scalar.getDouble()
                : scalar.toType(DataType.FLOAT64, false).getDouble();
    }
}
