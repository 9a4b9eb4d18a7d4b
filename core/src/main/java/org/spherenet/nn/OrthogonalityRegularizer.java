package org.spherenet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The authors' orthogonality regulariser on hyperspherical kernels: with a kernel reshaped to
 * {@code W} of shape {@code (out, in*kh*kw)} (rows are filters), the penalty is {@code coefficient
 * * 0.5 * ||W W^T - I||_F^2}. It takes the place of weight decay, which means nothing for a kernel
 * that is used only through its direction; it acts on the raw kernel, so it also pulls filter norms
 * towards 1.
 */
public final class OrthogonalityRegularizer {

    /** The authors' coefficient. */
    public static final double DEFAULT_COEFFICIENT = 2e-4;

    private OrthogonalityRegularizer() {}

    /**
     * {@code 0.5 * ||W W^T - I||_F^2} for one kernel, without the coefficient.
     *
     * @param weight {@code (out, ...)}
     * @return a scalar
     */
    public static NDArray penalty(NDArray weight) {
        long out = weight.getShape().get(0);
        NDArray w = weight.reshape(out, -1);
        NDArray gram = w.matMul(w.transpose());
        NDArray identity = gram.getManager().eye((int) out, (int) out, 0, gram.getDataType());
        NDArray squares = gram.sub(identity).square().sum();
        return squares.mul(Constant.like(squares, 0.5));
    }

    /**
     * {@code coefficient * sum of penalty(W)} over the given kernels.
     *
     * @param weights the kernels (not empty)
     * @param coefficient {@code >= 0}; the authors use {@link #DEFAULT_COEFFICIENT}
     * @return a scalar
     */
    public static NDArray penalty(List<NDArray> weights, double coefficient) {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("no kernels to regularise");
        }
        NDArray total = penalty(weights.get(0));
        for (NDArray w : weights.subList(1, weights.size())) {
            total = total.add(penalty(w));
        }
        return total.mul(Constant.like(total, coefficient));
    }

    /** The kernels of every {@link SphereOperator} inside {@code block} (depth first). */
    public static List<Parameter> sphereKernels(Block block) {
        List<Parameter> kernels = new ArrayList<>();
        collect(block, kernels);
        return kernels;
    }

    private static void collect(Block block, List<Parameter> kernels) {
        if (block instanceof SphereOperator) {
            kernels.add(((SphereOperator) block).getWeight());
        }
        for (Block child : block.getChildren().values()) {
            collect(child, kernels);
        }
    }
}
