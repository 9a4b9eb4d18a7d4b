package org.spherenet.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.spherenet.train.Charts;
import org.spherenet.train.Metrics;
import org.spherenet.train.TrainConfig;

/** Study 3: plain nets of growing depth, CNN against SphereNet, with and without BatchNorm. */
public final class DepthStudy implements Study {

    /** Variants: label, operator, BatchNorm. */
    private record Variant(String label, String operator, boolean batchNorm) {}

    private static final List<Variant> VARIANTS = List.of(
            new Variant("CNN + BN", "conv", true),
            new Variant("SphereNet + BN", "linear", true),
            new Variant("CNN, no BN", "conv", false),
            new Variant("SphereNet, no BN", "linear", false));

    /** Fewer iterations than the base: the 38-layer nets cost four 9-layer ones. */
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

    @Override
    public void run(StudyContext context) throws IOException {
        List<Integer> depths = depths(context.scale());
        Map<Variant, Map<Integer, TrialResult>> runs = new LinkedHashMap<>();
        double width = 0;
        for (Variant v : VARIANTS) {
            Map<Integer, TrialResult> byDepth = new LinkedHashMap<>();
            for (int depth : depths) {
                TrainConfig c = context.base(ITERATIONS);
                // deep nets cost depth/9 times more: halve the width below paper scale
                if (context.scale() != Scale.PAPER) {
                    c.width /= 2;
                }
                width = c.width;
                c.model = "spherenet" + depth;
                c.operator = v.operator();
                c.batchNorm = v.batchNorm();
                byDepth.put(depth, context.train(v.label() + ", " + depth + " layers", c));
            }
            runs.put(v, byDepth);
        }

        List<String> header = new ArrayList<>(List.of("depth"));
        VARIANTS.forEach(v -> header.add(v.label() + ": test % / final train loss"));
        Table table = Table.of(header.toArray(String[]::new));
        Map<String, Object> numbers = new LinkedHashMap<>();
        for (int depth : depths) {
            List<Object> cells = new ArrayList<>(List.of(depth));
            for (Variant v : VARIANTS) {
                TrialResult r = runs.get(v).get(depth);
                cells.add(String.format(Locale.ROOT, "%.2f / %.3f%s", 100 * r.accuracy(), trainLoss(r),
                        r.summary().skippedSteps() > 0 ? " (" + r.summary().skippedSteps() + " steps skipped)" : ""));
                numbers.put(v.label() + ", " + depth, Map.of("testAccuracy", r.accuracy(), "trainLoss", trainLoss(r)));
            }
            table.row(cells.toArray());
        }
        context.record("runs", numbers);
        context.report().section("Test accuracy and training loss by depth")
                .paragraph(String.format(Locale.ROOT, "Plain nets (3 stages; 9 = 3+3+3, 18 = 6+6+6, 38 = 13+13+12,"
                        + " 69 = 23+23+23 layers) at width %s, linear SphereConv against plain conv. The training"
                        + " loss is the mean over the last evaluation interval (label smoothing included).", width))
                .table(table);
        XYChart accuracy = Charts.lines("test accuracy by depth", "layers", "accuracy");
        XYChart loss = Charts.lines("final training loss by depth", "layers", "loss");
        double[] x = depths.stream().mapToDouble(Integer::doubleValue).toArray();
        for (Variant v : VARIANTS) {
            accuracy.addSeries(v.label(), x, depths.stream().mapToDouble(d -> runs.get(v).get(d).accuracy()).toArray());
            loss.addSeries(v.label(), x, depths.stream().mapToDouble(d -> trainLoss(runs.get(v).get(d))).toArray());
        }
        context.report().plot("depth.png", "test accuracy and training loss against depth", List.of(accuracy, loss));
        conclude(context, runs, depths);
    }

    private static double trainLoss(TrialResult r) {
        List<Metrics> rows = r.metrics();
        return rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1).fitLoss();
    }

    private static void conclude(StudyContext context, Map<Variant, Map<Integer, TrialResult>> runs, List<Integer> depths) {
        int deepest = depths.get(depths.size() - 1);
        List<String> details = new ArrayList<>();
        int sphereAhead = 0;
        for (int i = 0; i < 2; i++) {
            Variant cnn = VARIANTS.get(2 * i);
            Variant sphere = VARIANTS.get(2 * i + 1);
            for (int depth : depths) {
                Comparison cmp = Comparison.of(List.of(runs.get(sphere).get(depth)), List.of(runs.get(cnn).get(depth)));
                details.add(String.format("%d layers, %s: SphereNet minus CNN %s.", depth,
                        cnn.batchNorm() ? "with BN" : "no BN", cmp));
                if (depth == deepest && cmp.sign() > 0) {
                    sphereAhead++;
                }
            }
            double drop = 100 * (runs.get(cnn).get(depths.get(0)).accuracy() - runs.get(cnn).get(deepest).accuracy());
            double sphereDrop = 100 * (runs.get(sphere).get(depths.get(0)).accuracy() - runs.get(sphere).get(deepest).accuracy());
            details.add(String.format(Locale.ROOT, "%s: going from %d to %d layers costs the CNN %.2f points and the"
                    + " SphereNet %.2f points.", cnn.batchNorm() ? "With BN" : "Without BN", depths.get(0), deepest,
                    drop, sphereDrop));
        }
        for (Variant v : VARIANTS.subList(0, 2)) {
            LayerGradients g = LayerGradients.of(runs.get(v).get(deepest).gradients());
            if (g.layers() > deepest) {
                details.add(String.format(Locale.ROOT, "%s, %d layers: the first conv layer's gradient is %.3g"
                        + " times the last one's (medians over the run; above 1: growing towards the input).",
                        v.label(), deepest, g.gradient()[0] / g.gradient()[deepest - 1]));
            }
        }
        String headline = String.format("At %d layers the SphereNet is clearly ahead of the CNN in %d of 2 settings"
                + " (with and without BN): this scale %s the paper's claim.", deepest, sphereAhead,
                sphereAhead == 2 ? "confirms" : sphereAhead == 1 ? "partly confirms" : "does not confirm");
        context.conclude(headline, details);
    }
}
