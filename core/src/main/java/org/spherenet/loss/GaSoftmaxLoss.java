package org.spherenet.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import org.spherenet.nn.Angular;
import org.spherenet.nn.Constant;

/**
 * GA-Softmax, the generalised angular softmax loss: logits {@code |f| g(theta_j)} for the other
 * classes and {@code |f| psi(theta_y; m)} for the true class y, followed by softmax cross-entropy.
 * The margin {@code m >= 1} makes the true class win by an angle factor m; {@code m = 1} has no
 * margin, and the cosine g with {@code m = 1} is W-Softmax.
 *
 * <p>Predictions are the {@link AngularClassifier}'s {@code NDList(cosines (batch, classes),
 * featureNorms (batch, 1))}; labels {@code NDList(classIndices (batch))}. With an annealing
 * schedule, call {@link #setIteration(long)} once per training step.
 */
public class GaSoftmaxLoss extends Loss {

    private final Angular angular;
    private final double margin;
    private final MarginAnnealing annealing;
    private final double labelSmoothing;
    private final double probabilityFloor;
    private long iteration;

    /**
     * Creates the loss.
     *
     * @param angular g; fixed (a learnable g has no home in a loss)
     * @param margin {@code m >= 1}, real
     * @param annealing a lambda schedule, or null for none
     * @param labelSmoothing in {@code [0, 1)}
     * @param probabilityFloor {@code >= 0}, see {@link CrossEntropy}
     */
    public GaSoftmaxLoss(
            Angular angular,
            double margin,
            MarginAnnealing annealing,
            double labelSmoothing,
            double probabilityFloor) {
        super("GaSoftmaxLoss");
        if (angular.isLearnable()) {
            throw new IllegalArgumentException("GA-Softmax needs a fixed angular function");
        }
        if (!(margin >= 1) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("margin m must be >= 1, got " + margin);
        }
        this.angular = angular;
        this.margin = margin;
        this.annealing = annealing;
        this.labelSmoothing = SoftmaxLoss.checkSmoothing(labelSmoothing);
        this.probabilityFloor = SoftmaxLoss.checkFloor(probabilityFloor);
    }

    /** GA-Softmax with g and margin m, no annealing, plain cross-entropy. */
    public static GaSoftmaxLoss gaSoftmax(Angular angular, double margin) {
        return new GaSoftmaxLoss(angular, margin, null, 0, 0);
    }

    /** W-Softmax: cosine g, no margin, i.e. logits {@code |f| cos(theta_j)}. */
    public static GaSoftmaxLoss wSoftmax() {
        return gaSoftmax(Angular.cosine(), 1);
    }

    /** A-Softmax (SphereFace): cosine g, margin 4, with SphereFace's annealing. */
    public static GaSoftmaxLoss aSoftmax() {
        return new GaSoftmaxLoss(Angular.cosine(), 4, MarginAnnealing.sphereFace(), 0, 0);
    }

    /**
     * The logits with the margin applied to each row's true class, no annealing.
     *
     * @param cosines {@code (batch, classes)}
     * @param featureNorms {@code (batch, 1)}
     * @param labels {@code (batch)}, class indices
     * @param angular g
     * @param margin {@code m >= 1}
     * @return {@code (batch, classes)}
     */
    public static NDArray logits(
            NDArray cosines, NDArray featureNorms, NDArray labels, Angular angular, double margin) {
        return logits(cosines, featureNorms, labels, angular, margin, 0);
    }

    /**
     * The logits with the margin eased in: the true class gets {@code |f| (lambda g(theta_y) +
     * psi(theta_y)) / (1 + lambda)} (SphereFace's form, with g in place of cos so that it holds
     * for every g; the same for the cosine g).
     *
     * @param lambda {@code >= 0}; 0 applies the full margin
     */
    public static NDArray logits(
            NDArray cosines,
            NDArray featureNorms,
            NDArray labels,
            Angular angular,
            double margin,
            double lambda) {
        int classes = (int) cosines.getShape().get(1);
        NDArray oneHot = CrossEntropy.oneHot(labels, classes, cosines.getDataType());
        NDArray g = angular.apply(cosines);
        NDArray trueCos = cosines.mul(oneHot).sum(new int[] {1}, true);
        NDArray trueG = g.mul(oneHot).sum(new int[] {1}, true);
        NDArray target = angular.applyWithMargin(trueCos, margin);
        if (lambda > 0) {
            target = target.add(trueG.mul(Constant.like(trueG, lambda)))
                    .div(Constant.like(trueG, 1 + lambda));
        }
        // replace g by the target in each row's true-class column
        return g.add(oneHot.mul(target.sub(trueG))).mul(featureNorms);
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        double lambda = annealing == null ? 0 : annealing.lambda(iteration);
        NDArray logits =
                logits(
                        predictions.get(0),
                        predictions.get(1),
                        labels.singletonOrThrow(),
                        angular,
                        margin,
                        lambda);
        return CrossEntropy.crossEntropy(
                logits, labels.singletonOrThrow(), labelSmoothing, probabilityFloor);
    }

    /** Sets the training iteration that the annealing schedule reads. */
    public void setIteration(long iteration) {
        this.iteration = iteration;
    }

    public Angular getAngular() {
        return angular;
    }

    public double getMargin() {
        return margin;
    }

    @Override
    public String toString() {
        return "GaSoftmax(g=" + angular + ", m=" + margin
                + (annealing == null ? "" : ", " + annealing) + ")";
    }
}
