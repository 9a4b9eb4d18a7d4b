package org.spherenet.experiment;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Means, spreads and the way a study prints accuracies. */
public final class Stats {

    private Stats() {}

    public static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    /** The sample variance (n - 1), 0 for fewer than two values. */
    public static double variance(double[] x) {
        if (x.length < 2) {
            return 0;
        }
        double m = mean(x);
        return Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / (x.length - 1);
    }

    public static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Mean test accuracy of runs in percent. */
    public static double meanAccuracy(List<TrialResult> runs) {
        return mean(runs.stream().mapToDouble(r -> 100 * r.accuracy()).toArray());
    }

    /** "91.23" for one run; "91.23 ± 0.15" (mean ± sample standard deviation) for several. */
    public static String accuracy(List<TrialResult> runs) {
        double[] a = runs.stream().mapToDouble(r -> 100 * r.accuracy()).toArray();
        return a.length == 1
                ? String.format(Locale.ROOT, "%.2f", a[0])
                : String.format(Locale.ROOT, "%.2f ± %.2f", mean(a), Math.sqrt(variance(a)));
    }
}
