package org.spherenet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link SequentialBlock} that closes each intermediate result as soon as the next block has
 * used it. DJL otherwise keeps every array of a forward pass until the step's scope closes, so a
 * training step would hold every layer's output to the end, including those autograd does not
 * need (BatchNorm's output, for one: ReLU keeps its own). Closing the Java handle is always safe:
 * what autograd saved stays alive through autograd and is then freed layer by layer during the
 * backward pass, as in PyTorch.
 */
public class ReleasingSequentialBlock extends SequentialBlock {

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList current = inputs;
        for (Block block : getChildren().values()) {
            NDList next = block.forward(parameterStore, current, training);
            if (current != inputs) {
                closeUnlessPassedOn(current, next);
            }
            current = next;
        }
        return current;
    }

    /** Closes the arrays of {@code used} that a block did not hand on unchanged in {@code result}. */
    private static void closeUnlessPassedOn(NDList used, NDList result) {
        for (NDArray array : used) {
            boolean passedOn = false;
            for (NDArray out : result) {
                passedOn |= out == array;
            }
            if (!passedOn) {
                array.close();
            }
        }
    }
}
