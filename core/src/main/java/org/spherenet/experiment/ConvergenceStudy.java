package org.spherenet.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.spherenet.train.Charts;
import org.spherenet.train.Metrics;
import org.spherenet.train.TrainConfig;

/**
 * Study (c): how fast SphereNets reach fixed test accuracies against the CNN, with training
 * accuracy logged beside test accuracy and both BatchNorm styles (DESIGN section 7's caution: the
 * authors' BatchNorm may make the CNN's test accuracy lag while its training keeps pace).
 */
public final class ConvergenceStudy implements Study {

    static final List<String> OPERATORS = List.of("conv", "linear", "sigmoid(0.3)");
    static final List<String> BATCH_NORMS = List.of("usual", "authors");

    /** Below the standard scale: longer than the base, to see the curves flatten. */
    private static final double ITERATIONS = 1.2;
    /** Evaluations per run below the standard scale (at standard: every 200 iterations, as every run). */
    private static final int POINTS = 12;

    @Override
    public String name() {
        return "convergence";
    }

    @Override
    public String title() {
        return "Convergence: SphereNets against the CNN";
    }

    @Override
    public String claim() {
        return "SphereNets converge faster: on CIFAR-10 they first reach 80% test accuracy after 3,000-4,500"
                + " iterations, the CNN after 11,500 (85%: 5,500-11,500 against 18,000).";
    }

    /** Accuracy levels worth counting on this dataset. */
    static double[] levels(String dataset) {
        return dataset.startsWith("cifar") ? new double[] {0.6, 0.7, 0.8, 0.85} : new double[] {0.85, 0.9, 0.92};
    }

    static String label(String operator, String bn) {
        return operator + ", " + bn + " BN";
    }

    @Override
    public List<Cell> cells(StudyContext context) {
        List<Cell> cells = new ArrayList<>();
        for (String bn : BATCH_NORMS) {
            for (String operator : OPERATORS) {
                TrainConfig c = context.base(ITERATIONS);
                c.model = "spherenet9";
                c.operator = operator;
                c.batchNormStyle = bn;
                if (context.scale().evalEvery() == 0) {
                    c.evalEvery = Math.max(1, c.iterations / POINTS);
                }
                if (context.scale() == Scale.QUICK) {
                    c.evalLimit = 2000; // 12 evaluations of all 10,000 would cost a third of the run
                }
                cells.add(new Cell(label(operator, bn), c));
            }
        }
        return cells;
    }

    /**
     * Iterations until the run first reached {@code level}; a run that never did counts as reaching
     * it one evaluation after its end (a bound that understates how much later it is).
     */
    static double iterationsTo(TrialResult r, double level) {
        long it = r.iterationsToReach(level);
        return it >= 0 ? it : r.summary().iterations() + r.config().evalEvery;
    }

    @Override
    public void report(StudyContext context) throws IOException {
        double[] levels = levels(context.dataset());
        List<String> header = new ArrayList<>(List.of("operator, BatchNorm", "seeds"));
        for (double level : levels) {
            header.add(String.format(Locale.ROOT, "iterations to %.0f%%", 100 * level));
        }
        header.addAll(List.of("final test %", "final train % (last interval)", "train minus test"));
        Table table = Table.of(header.toArray(String[]::new));
        for (String bn : BATCH_NORMS) {
            for (String op : OPERATORS) {
                List<TrialResult> runs = context.runs(label(op, bn));
                List<Object> cells = new ArrayList<>(List.of(label(op, bn), runs.size()));
                for (double level : levels) {
                    long reached = runs.stream().filter(r -> r.iterationsToReach(level) >= 0).count();
                    double[] its = runs.stream().filter(r -> r.iterationsToReach(level) >= 0)
                            .mapToDouble(r -> r.iterationsToReach(level)).toArray();
                    cells.add(runs.isEmpty() ? "not run" : reached == 0 ? "not reached"
                            : String.format(Locale.ROOT, "%,.0f%s", Stats.mean(its),
                                    reached < runs.size() ? " (" + reached + " of " + runs.size() + " runs)" : ""));
                }
                cells.add(meanSd(runs, r -> 100 * r.last().testAccuracy()));
                cells.add(meanSd(runs, r -> 100 * r.last().trainAccuracy()));
                cells.add(meanSd(runs, ConvergenceStudy::gap));
                table.row(cells.toArray());
            }
        }
        context.record("levels", levels);
        TrainConfig example = cells(context).get(0).config();
        context.report().section("Iterations to reach a test accuracy")
                .paragraph(String.format(Locale.ROOT, "SphereNet-9 with each operator and both BatchNorms (usual:"
                        + " momentum 0.1, variance from 1; authors': moving average 0.999, eps 1e-3, statistics from 0),"
                        + " %,d iterations, test accuracy every %,d iterations%s. \"Iterations to X%%\" is the"
                        + " first evaluation at or above X%%, averaged over the runs that reached it.",
                        example.iterations, example.evalEvery,
                        example.evalLimit > 0 ? " on the first " + example.evalLimit + " test images" : ""))
                .table(table);
        context.report().plot("test-accuracy.png", "mean test accuracy against iterations (95 % intervals)", List.of(
                curves(context, "usual", "test accuracy, usual BN", Metrics::testAccuracy),
                curves(context, "authors", "test accuracy, authors' BN", Metrics::testAccuracy)));
        context.report().plot("train-accuracy.png", "mean training accuracy against iterations", List.of(
                curves(context, "usual", "train accuracy, usual BN", Metrics::trainAccuracy),
                curves(context, "authors", "train accuracy, authors' BN", Metrics::trainAccuracy)));

        List<Check> checks = new ArrayList<>();
        for (String bn : BATCH_NORMS) {
            List<TrialResult> cnn = context.runs(label("conv", bn));
            for (String op : OPERATORS.subList(1, OPERATORS.size())) {
                for (double level : levels) {
                    checks.add(new Check(String.format(Locale.ROOT, "%s BN, iterations to %.0f%%: %s minus conv", bn,
                            100 * level, op), paperLevel(level), -1,
                            Comparison.of(context.runs(label(op, bn)), cnn, r -> iterationsTo(r, level))));
                }
            }
        }
        context.checks("The paper's comparison: who reaches each level first", "Differences in iterations (negative:"
                + " the SphereNet is first). A run that never reached a level counts as reaching it one evaluation"
                + " after its end, which understates how much later it is.", checks);

        List<String> details = new ArrayList<>();
        for (String bn : BATCH_NORMS) {
            details.add(String.format(Locale.ROOT, "%s BN, train minus test accuracy at the end, CNN minus linear"
                    + " SphereNet: %s points (positive: the CNN's test accuracy lags its training more).", bn,
                    Comparison.of(context.runs(label("conv", bn)), context.runs(label("linear", bn)),
                            ConvergenceStudy::gap)));
        }
        long iterations = example.iterations;
        details.add(String.format(Locale.ROOT, "The authors' BatchNorm starts its running statistics at zero and moves"
                + " them by 0.001 a step: after %,d iterations they hold %.0f%% of the data's statistics, so early"
                + " test accuracies with it measure the statistics' warm-up as much as learning (DESIGN.md).",
                iterations, 100 * (1 - Math.pow(0.999, iterations))));
        context.conclude("Reaching each accuracy level first, SphereNet against CNN: " + Check.tally(checks) + ".",
                details);
    }

    private static String paperLevel(double level) {
        return level == 0.8 ? "below (3,000-4,500 vs 11,500)" : level == 0.85 ? "below (5,500-11,500 vs 18,000)"
                : "below (SphereNets first)";
    }

    private static String meanSd(List<TrialResult> runs, ToDoubleFunction<TrialResult> value) {
        double[] x = runs.stream().mapToDouble(value).toArray();
        return x.length == 0 ? "not run" : x.length == 1 ? String.format(Locale.ROOT, "%.2f", x[0])
                : String.format(Locale.ROOT, "%.2f ± %.2f", Stats.mean(x), Stats.standardDeviation(x));
    }

    /** Mean over seeds at each evaluated iteration, with error bars. */
    private static XYChart curves(StudyContext context, String bn, String title, ToDoubleFunction<Metrics> value) {
        XYChart chart = Charts.lines(title, "iteration", "accuracy");
        for (String op : OPERATORS) {
            List<TrialResult> runs = context.runs(label(op, bn));
            if (runs.isEmpty()) {
                continue;
            }
            int points = runs.stream().mapToInt(r -> r.metrics().size()).min().orElse(0);
            double[] x = new double[points];
            List<double[]> samples = new ArrayList<>();
            for (int i = 0; i < points; i++) {
                int row = i;
                x[i] = runs.get(0).metrics().get(i).iteration();
                samples.add(runs.stream().mapToDouble(r -> value.applyAsDouble(r.metrics().get(row))).toArray());
            }
            Plots.addMeans(chart, op, x, samples);
        }
        return chart;
    }

    /** Train minus test accuracy at the last evaluation, in points. */
    private static double gap(TrialResult r) {
        return 100 * (r.last().trainAccuracy() - r.last().testAccuracy());
    }
}
