package org.spherenet.experiment;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Means, spreads, Student's t distribution, and the way a study prints accuracies. */
public final class Stats {

    /** The two-sided confidence of every interval in the reports. */
    public static final double CONFIDENCE = 0.95;

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

    public static double standardDeviation(double[] x) {
        return Math.sqrt(variance(x));
    }

    public static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Half the width of the 95 % t interval of the mean of {@code x}; NaN for fewer than two values. */
    public static double halfWidth(double[] x) {
        if (x.length < 2) {
            return Double.NaN;
        }
        return tQuantile((1 + CONFIDENCE) / 2, x.length - 1) * standardDeviation(x) / Math.sqrt(x.length);
    }

    /** Test accuracies of runs in percent, in the runs' order. */
    public static double[] accuracies(List<TrialResult> runs) {
        return runs.stream().mapToDouble(r -> 100 * r.accuracy()).toArray();
    }

    /** Mean test accuracy of runs in percent (NaN for none). */
    public static double meanAccuracy(List<TrialResult> runs) {
        return mean(accuracies(runs));
    }

    /**
     * "91.23" for one run; "91.23 ± 0.15" (mean ± sample standard deviation) for several; "not run"
     * for none.
     */
    public static String accuracy(List<TrialResult> runs) {
        double[] a = accuracies(runs);
        return a.length == 0 ? "not run" : a.length == 1
                ? String.format(Locale.ROOT, "%.2f", a[0])
                : String.format(Locale.ROOT, "%.2f ± %.2f", mean(a), standardDeviation(a));
    }

    /** Every seed's test accuracy, e.g. "91.10, 91.32, 91.27". */
    public static String seeds(List<TrialResult> runs) {
        return String.join(", ", runs.stream()
                .map(r -> String.format(Locale.ROOT, "%.2f", 100 * r.accuracy())).toList());
    }

    /**
     * The cumulative distribution function of Student's t with {@code df} degrees of freedom (any
     * real {@code df > 0}), through the regularised incomplete beta function.
     */
    public static double tCdf(double t, double df) {
        if (Double.isInfinite(t)) {
            return t > 0 ? 1 : 0;
        }
        double tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /**
     * The {@code p} quantile of Student's t with {@code df} degrees of freedom, by bisection of
     * {@link #tCdf} (to about 1e-12).
     *
     * @throws IllegalArgumentException unless 0 < p < 1 and df > 0
     */
    public static double tQuantile(double p, double df) {
        if (!(p > 0 && p < 1) || !(df > 0)) {
            throw new IllegalArgumentException("t quantile needs 0 < p < 1 and df > 0, got p " + p + ", df " + df);
        }
        if (p < 0.5) {
            return -tQuantile(1 - p, df);
        }
        double lo = 0;
        double hi = 1;
        while (tCdf(hi, df) < p) {
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, hi); i++) {
            double mid = (lo + hi) / 2;
            if (tCdf(mid, df) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** The regularised incomplete beta function I_x(a, b) (Numerical Recipes' continued fraction). */
    static double incompleteBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        // the continued fraction converges fast for x below the mean a / (a + b); use symmetry above it
        return x < (a + 1) / (a + b + 2)
                ? front * betaFraction(x, a, b) / a
                : 1 - front * betaFraction(1 - x, b, a) / b;
    }

    /** Lentz's evaluation of the incomplete beta's continued fraction. */
    private static double betaFraction(double x, double a, double b) {
        double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + even * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + even / c;
            c = Math.abs(c) < tiny ? tiny : c;
            h *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + odd * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + odd / c;
            c = Math.abs(c) < tiny ? tiny : c;
            double step = d * c;
            h *= step;
            if (Math.abs(step - 1) < 1e-15) {
                break;
            }
        }
        return h;
    }

    /** ln Gamma(x) for x > 0 (Lanczos, g = 7, nine terms: about 15 digits). */
    static double logGamma(double x) {
        if (x < 0.5) {
            // reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        double y = x - 1;
        double sum = c[0];
        for (int i = 1; i < c.length; i++) {
            sum += c[i] / (y + i);
        }
        double t = y + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
