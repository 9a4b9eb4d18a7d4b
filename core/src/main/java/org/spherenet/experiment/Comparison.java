package org.spherenet.experiment;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The difference between two settings with its 95 % confidence interval (Student's t). Runs are
 * paired by seed when both settings have the same seeds and each pair saw the same data in the
 * same order (the seed fixes the shuffle and the augmentation, so this holds whenever the dataset,
 * its fraction, the batch size and the augmentation agree): then the interval is the one-sample t
 * interval of the per-seed differences. Otherwise it is Welch's, with the Welch-Satterthwaite
 * degrees of freedom. With fewer than two runs on a side there is no interval.
 *
 * @param difference mean of the first minus mean of the second
 * @param low lower end of the interval (NaN without one)
 * @param high upper end of the interval (NaN without one)
 * @param method how the interval was made
 * @param first runs of the first setting
 * @param second runs of the second setting
 */
public record Comparison(double difference, double low, double high, Method method, int first, int second) {

    /** How an interval was made. */
    public enum Method {
        PAIRED("paired t"),
        WELCH("Welch t"),
        /** Fewer than two runs on a side: a difference, no interval. */
        NO_INTERVAL("no interval"),
        /** A side has no runs yet. */
        NOT_RUN("not run");

        private final String text;

        Method(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The difference of test accuracies in points. */
    public static Comparison of(List<TrialResult> first, List<TrialResult> second) {
        return of(first, second, r -> 100 * r.accuracy());
    }

    /** The difference of {@code value} over the runs, paired by seed where the runs allow it. */
    public static Comparison of(List<TrialResult> first, List<TrialResult> second, ToDoubleFunction<TrialResult> value) {
        List<TrialResult> a = bySeed(first);
        List<TrialResult> b = bySeed(second);
        double[] x = a.stream().mapToDouble(value).toArray();
        double[] y = b.stream().mapToDouble(value).toArray();
        return pairable(a, b) ? paired(x, y) : welch(x, y);
    }

    /** Whether two groups of runs pair up seed by seed on the same data order. */
    static boolean pairable(List<TrialResult> first, List<TrialResult> second) {
        if (first.size() != second.size() || first.size() < 2) {
            return false;
        }
        List<TrialResult> a = bySeed(first);
        List<TrialResult> b = bySeed(second);
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).dataOrder().equals(b.get(i).dataOrder())) {
                return false;
            }
        }
        return true;
    }

    /** The paired interval of {@code first[i] - second[i]}. */
    public static Comparison paired(double[] first, double[] second) {
        if (first.length != second.length) {
            throw new IllegalArgumentException("paired samples of " + first.length + " and " + second.length + " values");
        }
        double[] d = new double[first.length];
        Arrays.setAll(d, i -> first[i] - second[i]);
        return oneSample(d);
    }

    /** The one-sample t interval of the mean of {@code differences} (e.g. per-seed contrasts). */
    public static Comparison oneSample(double[] differences) {
        int n = differences.length;
        double mean = Stats.mean(differences);
        if (n == 0) {
            return new Comparison(Double.NaN, Double.NaN, Double.NaN, Method.NOT_RUN, 0, 0);
        }
        if (n < 2) {
            return new Comparison(mean, Double.NaN, Double.NaN, Method.NO_INTERVAL, n, n);
        }
        double half = Stats.halfWidth(differences);
        return new Comparison(mean, mean - half, mean + half, Method.PAIRED, n, n);
    }

    /** Welch's interval of {@code mean(first) - mean(second)}. */
    public static Comparison welch(double[] first, double[] second) {
        int na = first.length;
        int nb = second.length;
        double difference = Stats.mean(first) - Stats.mean(second);
        if (na == 0 || nb == 0) {
            return new Comparison(difference, Double.NaN, Double.NaN, Method.NOT_RUN, na, nb);
        }
        if (na < 2 || nb < 2) {
            return new Comparison(difference, Double.NaN, Double.NaN, Method.NO_INTERVAL, na, nb);
        }
        double va = Stats.variance(first) / na;
        double vb = Stats.variance(second) / nb;
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return new Comparison(difference, difference, difference, Method.WELCH, na, nb);
        }
        double df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
        double half = Stats.tQuantile((1 + Stats.CONFIDENCE) / 2, df) * se;
        return new Comparison(difference, difference - half, difference + half, Method.WELCH, na, nb);
    }

    /**
     * The interval of a contrast of settings, {@code sum_i weights[i] * mean(groups[i])} (e.g.
     * +1, -1, -1, +1 for how much more a change helps one net than another): paired by seed when
     * all groups pair up, else Welch's with the Welch-Satterthwaite degrees of freedom.
     */
    public static Comparison contrast(List<List<TrialResult>> groups, double[] weights,
            ToDoubleFunction<TrialResult> value) {
        List<List<TrialResult>> sorted = groups.stream().map(Comparison::bySeed).toList();
        boolean paired = sorted.stream().allMatch(g -> pairable(g, sorted.get(0)));
        int n = sorted.stream().mapToInt(List::size).min().orElse(0);
        if (paired) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                for (int g = 0; g < sorted.size(); g++) {
                    d[i] += weights[g] * value.applyAsDouble(sorted.get(g).get(i));
                }
            }
            return oneSample(d);
        }
        double difference = 0;
        double variance = 0;
        double dfDenominator = 0;
        int max = sorted.stream().mapToInt(List::size).max().orElse(0);
        for (int g = 0; g < sorted.size(); g++) {
            double[] x = sorted.get(g).stream().mapToDouble(value).toArray();
            difference += weights[g] * Stats.mean(x);
            double v = weights[g] * weights[g] * Stats.variance(x) / x.length;
            variance += v;
            dfDenominator += x.length > 1 ? v * v / (x.length - 1) : 0;
        }
        if (n == 0) {
            return new Comparison(difference, Double.NaN, Double.NaN, Method.NOT_RUN, n, max);
        }
        if (n < 2) {
            return new Comparison(difference, Double.NaN, Double.NaN, Method.NO_INTERVAL, n, max);
        }
        double half = variance == 0 ? 0
                : Stats.tQuantile((1 + Stats.CONFIDENCE) / 2, variance * variance / dfDenominator) * Math.sqrt(variance);
        return new Comparison(difference, difference - half, difference + half, Method.WELCH, n, max);
    }

    /** Whether there is an interval. */
    public boolean hasInterval() {
        return method == Method.PAIRED || method == Method.WELCH;
    }

    /** +1 if the interval lies above zero, -1 if below, 0 if it holds zero or there is none. */
    public int sign() {
        return !hasInterval() ? 0 : low > 0 ? 1 : high < 0 ? -1 : 0;
    }

    /**
     * The verdict on a claim that the first is above the second ({@code expected} +1) or below it
     * (-1): confirmed if the interval excludes zero in that direction, refuted if it excludes zero
     * in the other, undecided otherwise (also without an interval: fewer than two runs a side).
     */
    public Verdict verdict(int expected) {
        if (method == Method.NOT_RUN) {
            return Verdict.NOT_RUN;
        }
        int s = sign();
        return s == 0 ? Verdict.UNDECIDED : s == Integer.signum(expected) ? Verdict.CONFIRMED : Verdict.REFUTED;
    }

    /** E.g. "+1.20 [+0.40, +2.00] (paired t, 3 seeds)", "+0.90 (one run each: no interval)", "not run yet". */
    @Override
    public String toString() {
        if (method == Method.NOT_RUN) {
            return "not run yet";
        }
        if (!hasInterval()) {
            return String.format(Locale.ROOT, "%+.2f (%s: no interval)", difference,
                    first == 1 && second == 1 ? "one run each" : first + " and " + second + " runs");
        }
        return String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f] (%s, %s)", difference, low, high, method,
                method == Method.PAIRED ? first + " seeds" : first + " and " + second + " runs");
    }

    private static List<TrialResult> bySeed(List<TrialResult> runs) {
        return runs.stream().sorted(Comparator.comparingLong(TrialResult::seed)).toList();
    }
}
