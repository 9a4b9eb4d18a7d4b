package org.spherenet.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.spherenet.nn.Hypersphere;
import org.spherenet.nn.SphereLinear;

/**
 * The classifier head of the angular losses: class weights used only through their direction, no
 * bias. It outputs what {@link GaSoftmaxLoss} needs, the cosines between each feature vector and
 * each class weight and the feature norms; the prediction is the class with the largest cosine.
 *
 * <p>Shapes: data {@code (batch, ...)} flattened to {@code (batch, features)}; weight {@code
 * (classes, features)}; output {@code NDList(cosines (batch, classes), featureNorms (batch, 1))}.
 * The norms carry the same {@code 1e-4} term as the operators, so {@code featureNorms * cosines} is
 * exactly the authors' weight-normalised logit {@code <f, w_j> / |w_j|}.
 */
public class AngularClassifier extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int classes;
    private final Parameter weight;

    AngularClassifier(int classes) {
        super(VERSION);
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        this.classes = classes;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .build());
    }

    /**
     * Creates the head.
     *
     * @param classes the number of classes, at least 2
     */
    public static AngularClassifier of(int classes) {
        return new AngularClassifier(classes);
    }

    /**
     * Computes the cosines and feature norms.
     *
     * @param features {@code (batch, ...)}
     * @param weight {@code (classes, features)}
     * @return {@code NDList(cosines (batch, classes), featureNorms (batch, 1))}
     */
    public static NDList angularClassifier(NDArray features, NDArray weight) {
        NDArray flat = features.reshape(features.getShape().get(0), -1);
        return new NDList(SphereLinear.cosine(flat, weight), Hypersphere.norm(flat, 1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray features = inputs.singletonOrThrow();
        return angularClassifier(
                features, parameterStore.getValue(weight, features.getDevice(), training));
    }

    @Override
    protected void prepare(Shape[] inputs) {
        weight.setShape(new Shape(classes, inputs[0].size() / inputs[0].get(0)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long batch = inputs[0].get(0);
        return new Shape[] {new Shape(batch, classes), new Shape(batch, 1)};
    }

    /** The class weights, {@code (classes, features)}. */
    public Parameter getWeight() {
        return weight;
    }

    public int getClasses() {
        return classes;
    }

    @Override
    public String toString() {
        return "AngularClassifier(" + classes + ")";
    }
}
