package org.spherenet.experiment;

import java.util.List;
import java.util.Locale;

/**
 * Whether one setting's test accuracy is really above another's, given the noise. With several
 * seeds the noise is twice the standard error of the difference of the means; with one seed it is
 * {@link #SINGLE_RUN_NOISE}: two identical CPU runs here differ by up to 0.25 points (PyTorch's
 * multi-threaded sums are not ordered), and 10,000 test images at 90% have a binomial standard
 * error of 0.3 points.
 *
 * @param difference mean accuracy of the first minus the second, in points
 * @param noise the smallest difference taken as real, in points
 */
public record Comparison(double difference, double noise) {

    /** The threshold for a difference between two single runs, in accuracy points. */
    public static final double SINGLE_RUN_NOISE = 0.5;

    /** Compares the accuracies (fractions) of two groups of runs. */
    public static Comparison of(List<TrialResult> first, List<TrialResult> second) {
        double[] a = accuracies(first);
        double[] b = accuracies(second);
        double noise = a.length > 1 && b.length > 1
                ? 2 * Math.sqrt(Stats.variance(a) / a.length + Stats.variance(b) / b.length)
                : SINGLE_RUN_NOISE;
        return new Comparison(Stats.mean(a) - Stats.mean(b), Math.max(noise, 0.05));
    }

    /** +1 if the first is clearly better, -1 if clearly worse, 0 within the noise. */
    public int sign() {
        return Math.abs(difference) <= noise ? 0 : (difference > 0 ? 1 : -1);
    }

    /** E.g. "+1.20 points (beyond the noise of 0.50)" or "-0.10 points (within the noise of 0.50)". */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%+.2f points (%s the noise of %.2f)", difference,
                sign() == 0 ? "within" : "beyond", noise);
    }

    private static double[] accuracies(List<TrialResult> results) {
        return results.stream().mapToDouble(r -> 100 * r.accuracy()).toArray();
    }
}
