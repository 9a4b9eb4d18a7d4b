package org.spherenet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/**
 * A parameter as the optimiser sees it: its array, and the L2 weight decay it gets.
 *
 * @param name the parameter's path in the network (stable across runs; keys the optimiser state)
 * @param parameter the DJL parameter
 * @param weightDecay the L2 coefficient added to its gradient
 */
public record TrainableParameter(String name, Parameter parameter, double weightDecay) {

    public NDArray array() {
        return parameter.getArray();
    }
}
