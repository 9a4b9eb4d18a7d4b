package org.spherenet.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/**
 * A block whose kernel is used only through its direction (SphereConv2d, SphereLinear,
 * SphereNorm). Weight decay is meaningless for such a kernel; the {@link
 * OrthogonalityRegularizer} finds these blocks through this interface and regularises their
 * kernels instead.
 */
public interface SphereOperator extends Block {

    /** The kernel, {@code (out, in, ...)}. */
    Parameter getWeight();

    /** The angular function g applied to the cosines. */
    Angular getAngular();
}
