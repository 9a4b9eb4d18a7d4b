package org.spherenet.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spherenet.train.TrainConfig;

/**
 * Study 1: every operator against every loss on SphereNet-9 / CNN-9 (the paper's table of
 * operators x losses).
 */
public final class OperatorsLossesStudy implements Study {

    static final List<String> OPERATORS = List.of(
            "conv", "cosine", "linear", "sigmoid(0.1)", "sigmoid(0.3)", "sigmoid(0.7)", "learnable-sigmoid");

    /** GA-Softmax margins as in the README example; A-Softmax is cosine with m = 4, annealed. */
    static final List<String> LOSSES = List.of(
            "softmax", "w-softmax", "ga-softmax:linear:1.5", "ga-softmax:sigmoid(0.3):1.5", "a-softmax");

    /** Fewer iterations than the base: 35 runs must fit in the scale's budget. */
    private static final double ITERATIONS = 0.6;

    @Override
    public String name() {
        return "operators-losses";
    }

    @Override
    public String title() {
        return "Operators x losses";
    }

    @Override
    public String claim() {
        return "SphereConv beats the plain convolution across operator / loss combinations, sigmoid"
                + " SphereConv with a suitable k is often the best operator, and the angular losses"
                + " (W-Softmax, GA-Softmax, A-Softmax) help further (paper, CIFAR-10 SphereNet-9: plain"
                + " conv + softmax 90.86%, sigmoid(0.3) + softmax 91.81%, cosine + W-Softmax 91.44%).";
    }

    @Override
    public void run(StudyContext context) throws IOException {
        Map<String, Map<String, List<TrialResult>>> grid = new LinkedHashMap<>();
        for (String operator : OPERATORS) {
            Map<String, List<TrialResult>> row = new LinkedHashMap<>();
            for (String loss : LOSSES) {
                TrainConfig c = context.base(ITERATIONS);
                c.model = "spherenet9";
                c.operator = operator;
                c.classifier = loss;
                row.put(loss, context.trainSeeds(operator + " + " + loss, c));
            }
            grid.put(operator, row);
        }

        List<String> header = new ArrayList<>(List.of("operator \\ loss"));
        header.addAll(LOSSES);
        header.add("row mean");
        Table table = Table.of(header.toArray(String[]::new));
        Map<String, Object> numbers = new LinkedHashMap<>();
        for (var row : grid.entrySet()) {
            List<Object> cells = new ArrayList<>(List.of(row.getKey()));
            Map<String, Double> rowNumbers = new LinkedHashMap<>();
            double sum = 0;
            for (var cell : row.getValue().entrySet()) {
                cells.add(Stats.accuracy(cell.getValue()));
                double mean = Stats.meanAccuracy(cell.getValue());
                rowNumbers.put(cell.getKey(), mean);
                sum += mean;
            }
            cells.add(String.format(java.util.Locale.ROOT, "%.2f", sum / LOSSES.size()));
            table.row(cells.toArray());
            numbers.put(row.getKey(), rowNumbers);
        }
        context.record("testAccuracyPercent", numbers);
        context.report().section("Test accuracy (%)")
                .paragraph("SphereNet-9 with each operator in its nine conv layers (fc6 is always a cosine"
                        + " SphereConv in SphereNets and a plain conv in the CNN, as in the authors' nets),"
                        + " trained for " + context.base(ITERATIONS).iterations + " iterations.")
                .table(table);

        context.conclude(headline(grid), details(grid));
    }

    /** How many (sphere operator, loss) cells beat, tie or lose to the plain conv with that loss. */
    private static int[] tally(Map<String, Map<String, List<TrialResult>>> grid) {
        int[] counts = new int[3]; // better, within noise, worse
        for (String op : OPERATORS.subList(1, OPERATORS.size())) {
            for (String loss : LOSSES) {
                int sign = Comparison.of(grid.get(op).get(loss), grid.get("conv").get(loss)).sign();
                counts[sign > 0 ? 0 : sign == 0 ? 1 : 2]++;
            }
        }
        return counts;
    }

    private static String headline(Map<String, Map<String, List<TrialResult>>> grid) {
        int[] t = tally(grid);
        int cells = t[0] + t[1] + t[2];
        String verdict = t[0] > t[2] && t[0] >= cells / 2 ? "confirms" : t[0] > t[2] ? "leans towards" : "does not confirm";
        return String.format("SphereConv beat the plain conv with the same loss in %d of %d cells, tied in %d and"
                + " lost in %d: this scale %s the paper's claim.", t[0], cells, t[1], t[2], verdict);
    }

    private static List<String> details(Map<String, Map<String, List<TrialResult>>> grid) {
        List<String> details = new ArrayList<>();
        String bestOperator = null;
        double bestMean = -1;
        for (String op : OPERATORS) {
            double mean = grid.get(op).values().stream().mapToDouble(Stats::meanAccuracy).average().orElse(0);
            if (mean > bestMean) {
                bestMean = mean;
                bestOperator = op;
            }
        }
        details.add(String.format(java.util.Locale.ROOT,
                "Best operator averaged over the losses: %s (%.2f%%)%s.", bestOperator, bestMean,
                bestOperator.startsWith("sigmoid") ? ", a sigmoid, as the paper found"
                        : ", not a fixed sigmoid as the paper found"));
        details.add("Sigmoid(0.3) + softmax against conv + softmax (the authors' 91.81 vs 90.86): "
                + Comparison.of(grid.get("sigmoid(0.3)").get("softmax"), grid.get("conv").get("softmax")) + ".");
        for (String loss : LOSSES.subList(1, LOSSES.size())) {
            int better = 0;
            int worse = 0;
            for (String op : OPERATORS) {
                int sign = Comparison.of(grid.get(op).get(loss), grid.get(op).get("softmax")).sign();
                better += sign > 0 ? 1 : 0;
                worse += sign < 0 ? 1 : 0;
            }
            details.add(String.format("%s against softmax with the same operator: better in %d of %d operators,"
                    + " worse in %d.", loss, better, OPERATORS.size(), worse));
        }
        details.add("At this scale the runs are short and single differences are small; read cells that differ"
                + " by less than the noise as ties, not as rankings.");
        return details;
    }
}
