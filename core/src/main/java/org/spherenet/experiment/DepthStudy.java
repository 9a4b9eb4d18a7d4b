package org.spherenet.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.spherenet.train.Charts;
import org.spherenet.train.TrainConfig;

/** Study (d): plain nets of growing depth, CNN against SphereNet, with and without BatchNorm. */
public final class DepthStudy implements Study {

    /** Variants: label, operator, BatchNorm. */
    private record Variant(String label, String operator, boolean batchNorm) {}

    private static final List<Variant> VARIANTS = List.of(
            new Variant("CNN + BN", "conv", true),
            new Variant("SphereNet + BN", "linear", true),
            new Variant("CNN, no BN", "conv", false),
            new Variant("SphereNet, no BN", "linear", false));

    /** Below the standard scale: fewer iterations than the base, the 38-layer nets cost four 9-layer ones. */
    private static final double ITERATIONS = 0.6;

    @Override
    public String name() {
        return "depth";
    }

    @Override
    public String title() {
        return "Depth: plain nets of 9 to 69 layers";
    }

    @Override
    public String claim() {
        return "Very deep plain SphereNets (38, 69 layers) still train where their CNN twins train slowly or not"
                + " at all, because SphereConv's bounded output keeps the forward signal and the gradients in"
                + " range.";
    }

    static List<Integer> depths(Scale scale) {
        return scale == Scale.PAPER ? List.of(9, 18, 38, 69) : List.of(9, 18, 38);
    }

    private static String label(Variant v, int depth) {
        return v.label() + ", " + depth + " layers";
    }

    @Override
    public List<Cell> cells(StudyContext context) {
        List<Cell> cells = new ArrayList<>();
        for (int depth : depths(context.scale())) {
            for (Variant v : VARIANTS) {
                TrainConfig c = context.base(ITERATIONS);
                // below the standard scale deep nets would cost too much: half the width
                if (!context.scale().fullLength()) {
                    c.width /= 2;
                }
                c.model = "spherenet" + depth;
                c.operator = v.operator();
                c.batchNorm = v.batchNorm();
                cells.add(new Cell(label(v, depth), c));
            }
        }
        return cells;
    }

    @Override
    public void report(StudyContext context) throws IOException {
        List<Integer> depths = depths(context.scale());
        TrainConfig example = cells(context).get(0).config();
        List<String> header = new ArrayList<>(List.of("depth"));
        VARIANTS.forEach(v -> header.add(v.label() + ": test % / final train loss"));
        Table table = Table.of(header.toArray(String[]::new));
        for (int depth : depths) {
            List<Object> cells = new ArrayList<>(List.of(depth));
            for (Variant v : VARIANTS) {
                List<TrialResult> runs = context.runs(label(v, depth));
                long skipped = runs.stream().mapToLong(r -> r.summary().skippedSteps()).sum();
                cells.add(runs.isEmpty() ? "not run" : Stats.accuracy(runs) + String.format(Locale.ROOT, " / %.3f",
                        Stats.mean(runs.stream().mapToDouble(DepthStudy::trainLoss).toArray()))
                        + (skipped > 0 ? " (" + skipped + " steps skipped)" : ""));
            }
            table.row(cells.toArray());
        }
        context.report().section("Test accuracy and training loss by depth")
                .paragraph(String.format(Locale.ROOT, "Plain nets (3 stages; 9 = 3+3+3, 18 = 6+6+6, 38 = 13+13+12,"
                        + " 69 = 23+23+23 layers) at width %s, %,d iterations, linear SphereConv against plain conv;"
                        + " mean ± sd over seeds. The training loss is the mean over the last evaluation interval"
                        + " (label smoothing included).", example.width, example.iterations))
                .table(table);
        XYChart accuracy = Charts.lines("test accuracy by depth", "layers", "accuracy (%)");
        XYChart loss = Charts.lines("final training loss by depth", "layers", "loss");
        double[] x = depths.stream().mapToDouble(Integer::doubleValue).toArray();
        for (Variant v : VARIANTS) {
            Plots.addMeans(accuracy, v.label(), x,
                    depths.stream().map(d -> Stats.accuracies(context.runs(label(v, d)))).toList());
            Plots.addMeans(loss, v.label(), x, depths.stream()
                    .map(d -> context.runs(label(v, d)).stream().mapToDouble(DepthStudy::trainLoss).toArray()).toList());
        }
        context.report().plot("depth.png", "mean test accuracy and training loss against depth (95 % intervals)",
                List.of(accuracy, loss));

        int deepest = depths.get(depths.size() - 1);
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Variant cnn = VARIANTS.get(2 * i);
            Variant sphere = VARIANTS.get(2 * i + 1);
            String bn = cnn.batchNorm() ? "with BN" : "no BN";
            for (int depth : depths.subList(1, depths.size())) {
                checks.add(new Check(String.format("%d layers, %s: SphereNet minus CNN", depth, bn),
                        depth >= 38 ? "above (the CNN trains slowly or not at all)" : "above", 1,
                        Comparison.of(context.runs(label(sphere, depth)), context.runs(label(cnn, depth)))));
            }
            // how much more depth costs the CNN than the SphereNet: (cnn9 - cnnD) - (sphere9 - sphereD)
            checks.add(new Check(String.format("%s: accuracy lost from 9 to %d layers, CNN minus SphereNet", bn, deepest),
                    "above (depth hurts the CNN more)", 1, Comparison.contrast(List.of(
                            context.runs(label(cnn, 9)), context.runs(label(cnn, deepest)),
                            context.runs(label(sphere, 9)), context.runs(label(sphere, deepest))),
                            new double[] {1, -1, -1, 1}, r -> 100 * r.accuracy())));
        }
        context.checks("The paper's comparisons", "Differences in test-accuracy points.", checks);

        List<String> details = new ArrayList<>();
        for (Variant v : VARIANTS.subList(0, 2)) {
            List<TrialResult> runs = context.runs(label(v, deepest));
            LayerGradients g = runs.isEmpty() ? LayerGradients.NONE : runs.get(0).gradients();
            if (g.layers() >= deepest) {
                details.add(String.format(Locale.ROOT, "%s, %d layers: the first conv layer's gradient is %.3g"
                        + " times the last one's (medians over the first seed's run; above 1: growing towards the"
                        + " input).", v.label(), deepest, g.gradient()[0] / g.gradient()[deepest - 1]));
            }
        }
        context.conclude(String.format("SphereNet against CNN at 18 and more layers: %s.", Check.tally(checks)), details);
    }

    private static double trainLoss(TrialResult r) {
        return r.metrics().isEmpty() ? Double.NaN : r.last().fitLoss();
    }
}
