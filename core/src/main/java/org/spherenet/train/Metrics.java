package org.spherenet.train;

/**
 * One row of the training log, written at every evaluation.
 *
 * @param iteration iterations done
 * @param epoch fractional epochs done
 * @param fitLoss mean classification loss over the steps since the last row
 * @param regLoss L2 weight-decay term at this point
 * @param orthLoss orthogonality term at this point
 * @param trainAccuracy accuracy on the training batches since the last row (with augmentation)
 * @param testAccuracy accuracy on the test set
 * @param learningRate the rate of the last step
 * @param imagesPerSecond training throughput since the last row
 * @param elapsedSeconds wall time of the run so far (across resumes)
 * @param skippedSteps steps skipped so far because of a non-finite loss or gradient
 */
public record Metrics(
        long iteration,
        double epoch,
        double fitLoss,
        double regLoss,
        double orthLoss,
        double trainAccuracy,
        double testAccuracy,
        double learningRate,
        double imagesPerSecond,
        double elapsedSeconds,
        long skippedSteps) {

    /** The CSV header, matching {@link #csv()}. */
    public static final String CSV_HEADER =
            "iteration,epoch,fit_loss,reg_loss,orth_loss,train_accuracy,test_accuracy,"
                    + "learning_rate,images_per_second,elapsed_seconds,skipped_steps";

    public String csv() {
        return String.format(
                java.util.Locale.ROOT,
                "%d,%.4f,%.6f,%.6f,%.6f,%.5f,%.5f,%.3g,%.1f,%.1f,%d",
                iteration, epoch, fitLoss, regLoss, orthLoss, trainAccuracy, testAccuracy,
                learningRate, imagesPerSecond, elapsedSeconds, skippedSteps);
    }
}
