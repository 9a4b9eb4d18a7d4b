package org.spherenet.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.spherenet.train.Charts;
import org.spherenet.train.TrainConfig;

/** Study (e): does the SphereNet's gain over the CNN grow with the number of filters? */
public final class WidthStudy implements Study {

    @Override
    public String name() {
        return "width";
    }

    @Override
    public String title() {
        return "Width: more filters help SphereNets more";
    }

    @Override
    public String claim() {
        return "The gain of SphereConv over the convolution grows with the number of filters (width x 0.25 / 0.5"
                + " / 1 of SphereNet-9).";
    }

    /**
     * The widths, narrowest first (the widest, dearest one last): the paper's 0.25 / 0.5 / 1 at
     * paper scale, the main job's 0.125 and twice and four times it at standard scale, half, once
     * and twice the base width below.
     */
    static double[] widths(StudyContext context) {
        double base = context.base().width;
        return context.scale() == Scale.PAPER ? new double[] {0.25, 0.5, 1}
                : context.scale() == Scale.STANDARD ? new double[] {base, 2 * base, 4 * base}
                        : new double[] {base / 2, base, 2 * base};
    }

    private static String label(String net, double width) {
        return net + ", width " + width;
    }

    @Override
    public List<Cell> cells(StudyContext context) {
        List<Cell> cells = new ArrayList<>();
        double[] widths = widths(context);
        for (int i = 0; i < widths.length; i++) {
            // at standard scale the widest (about eight times a base run) comes last, if time allows
            int stage = context.scale() == Scale.STANDARD && i == widths.length - 1 ? 1 : 0;
            cells.add(new Cell(label("CNN-9", widths[i]), config(context, "conv", widths[i]), stage));
            cells.add(new Cell(label("SphereNet-9", widths[i]), config(context, "linear", widths[i]), stage));
        }
        return cells;
    }

    @Override
    public void report(StudyContext context) throws IOException {
        double[] widths = widths(context);
        Table table = Table.of("width", "channels", "CNN-9 test %", "SphereNet-9 (linear) test %",
                "SphereNet minus CNN [95 % interval]");
        List<Check> checks = new ArrayList<>();
        for (double width : widths) {
            List<TrialResult> cnn = context.runs(label("CNN-9", width));
            List<TrialResult> sphere = context.runs(label("SphereNet-9", width));
            Comparison gain = Comparison.of(sphere, cnn);
            table.row(width, Math.round(128 * width) + "/" + Math.round(192 * width) + "/" + Math.round(256 * width),
                    Stats.accuracy(cnn), Stats.accuracy(sphere), gain);
            checks.add(new Check("width " + width + ": SphereNet minus CNN", "above", 1, gain));
        }
        for (int i = 1; i < widths.length; i++) {
            checks.add(new Check(String.format(Locale.ROOT, "gain at width %s minus gain at width %s", widths[i],
                    widths[0]), "above (the gain grows with width)", 1, gainChange(context, widths[i], widths[0])));
        }
        context.report().section("Test accuracy by width").paragraph(String.format(Locale.ROOT, "SphereNet-9 with"
                + " linear SphereConv and its CNN twin, %,d iterations; mean ± sd over seeds.", context.base().iterations))
                .table(table);
        XYChart chart = Charts.lines("test accuracy by width", "width multiplier", "accuracy (%)");
        Plots.addMeans(chart, "CNN-9", widths,
                Arrays.stream(widths).mapToObj(w -> Stats.accuracies(context.runs(label("CNN-9", w)))).toList());
        Plots.addMeans(chart, "SphereNet-9", widths,
                Arrays.stream(widths).mapToObj(w -> Stats.accuracies(context.runs(label("SphereNet-9", w)))).toList());
        context.report().plot("width.png", "mean test accuracy against width (95 % intervals)", List.of(chart));
        context.checks("The paper's comparisons", "Differences in test-accuracy points; \"gain\" is SphereNet minus"
                + " CNN at one width, and its change is paired by seed where all four cells share seeds.", checks);
        List<Check> growth = checks.subList(widths.length, checks.size());
        context.conclude(String.format("SphereNet's gain over the CNN growing with width: %s; SphereNet ahead of the CNN"
                + " at a width: %s.", Check.tally(growth), Check.tally(checks.subList(0, widths.length))),
                List.of("All widths here are below the paper's (widest: " + widths[widths.length - 1]
                        + " of 128/192/256 channels); the paper's claim is about the regime of many filters."));
    }

    /** (sphere - cnn) at {@code wide} minus (sphere - cnn) at {@code narrow}. */
    private static Comparison gainChange(StudyContext context, double wide, double narrow) {
        return Comparison.contrast(List.of(context.runs(label("SphereNet-9", wide)), context.runs(label("CNN-9", wide)),
                context.runs(label("SphereNet-9", narrow)), context.runs(label("CNN-9", narrow))),
                new double[] {1, -1, -1, 1}, r -> 100 * r.accuracy());
    }

    private static TrainConfig config(StudyContext context, String operator, double width) {
        TrainConfig c = context.base();
        c.model = "spherenet9";
        c.operator = operator;
        c.width = width;
        return c;
    }
}
