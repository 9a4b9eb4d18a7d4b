package org.spherenet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** The numerical conventions every hyperspherical operator shares. */
public final class Hypersphere {

    /**
     * Added under every square root of a norm, as the authors' code does: it keeps an all-zero
     * patch at {@code cos = 0} (not NaN) and {@code |cos| < 1} in exact arithmetic.
     */
    public static final double EPSILON = 1e-4;

    private Hypersphere() {}

    /**
     * Returns {@code sqrt(sum(x^2 over axes) + EPSILON)}, keeping the reduced axes.
     *
     * @param x any array
     * @param axes the axes to reduce
     */
    public static NDArray norm(NDArray x, int... axes) {
        return x.square().sum(axes, true).add(EPSILON).sqrt();
    }

    /**
     * Keeps cosines strictly inside {@code (-1, 1)} before acos. The epsilon terms already do so in
     * exact arithmetic, but in float32 a patch parallel to its kernel can round to exactly 1, where
     * acos has an infinite slope; the bound is one float32 step below 1 (inactive otherwise, see
     * DESIGN section 3).
     */
    public static NDArray clampForAcos(NDArray cos) {
        double bound = cos.getDataType() == DataType.FLOAT64 ? 1 - 1e-12 : 1 - 1.2e-7;
        return withinBound(cos, bound) ? cos : cos.clip(-bound, bound);
    }

    /**
     * Whether every element is already inside {@code [-bound, bound]}, where the clamp would return
     * it unchanged (value and gradient). Nearly always so; checking costs two reductions (and, on a
     * GPU, a synchronisation), while the clamp costs a full pass forward, a masked pass backward,
     * and a full-size copy that autograd keeps for that backward.
     */
    private static boolean withinBound(NDArray x, double bound) {
        if (x.isEmpty()) {
            return true;
        }
        NDArray values = x.stopGradient();
        return values.max().toType(DataType.FLOAT64, false).getDouble() <= bound
                && values.min().toType(DataType.FLOAT64, false).getDouble() >= -bound;
    }

    /** {@code theta = acos(cos)}, with the clamp of {@link #clampForAcos(NDArray)}. */
    public static NDArray angle(NDArray cos) {
        return clampForAcos(cos).acos();
    }

    /**
     * {@code pi/2 - theta = asin(cos)}, with the same clamp. The functions that are odd about
     * {@code theta = pi/2} (linear, sigmoid) use it instead of {@code pi/2 - acos(cos)}: that
     * difference cancels near {@code cos = 0}, leaving an absolute error of one ulp of pi/2 (1e-7
     * in float32) on outputs that are themselves tiny (a patch much shorter than sqrt(1e-4)).
     */
    public static NDArray complementAngle(NDArray cos) {
        return clampForAcos(cos).asin();
    }
}
