package org.spherenet.experiment;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.spherenet.train.Charts;
import org.spherenet.train.TrainConfig;

/** Study 4: does the SphereNet's gain over the CNN grow with the number of filters? */
public final class WidthStudy implements Study {

    static final double[] FRACTIONS = {0.25, 0.5, 1};

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

    /** The widest net of the study: the paper's at paper scale, twice the base width below it. */
    static double fullWidth(StudyContext context) {
        return context.scale() == Scale.PAPER ? 1 : 2 * context.base().width;
    }

    @Override
    public void run(StudyContext context) throws IOException {
        double full = fullWidth(context);
        Map<Double, List<TrialResult>> cnn = new LinkedHashMap<>();
        Map<Double, List<TrialResult>> sphere = new LinkedHashMap<>();
        for (double fraction : FRACTIONS) {
            double width = full * fraction;
            cnn.put(fraction, context.trainSeeds("CNN-9, width " + width, config(context, "conv", width)));
            sphere.put(fraction, context.trainSeeds("SphereNet-9, width " + width, config(context, "linear", width)));
        }
        Table table = Table.of("width (x widest)", "channels", "CNN-9 test %", "SphereNet-9 (linear) test %",
                "SphereNet minus CNN");
        Map<String, Object> numbers = new LinkedHashMap<>();
        double[] gains = new double[FRACTIONS.length];
        for (int i = 0; i < FRACTIONS.length; i++) {
            double f = FRACTIONS[i];
            double width = full * f;
            Comparison cmp = Comparison.of(sphere.get(f), cnn.get(f));
            gains[i] = cmp.difference();
            table.row(String.format(Locale.ROOT, "%s (width %s)", f, width),
                    Math.round(128 * width) + "/" + Math.round(192 * width) + "/" + Math.round(256 * width),
                    Stats.accuracy(cnn.get(f)), Stats.accuracy(sphere.get(f)), cmp);
            numbers.put(String.valueOf(width), Map.of("cnn", Stats.meanAccuracy(cnn.get(f)),
                    "sphere", Stats.meanAccuracy(sphere.get(f)), "gain", cmp.difference()));
        }
        context.record("byWidth", numbers);
        context.report().section("Test accuracy by width").table(table);
        XYChart chart = Charts.lines("test accuracy by width", "width multiplier", "accuracy (%)");
        double[] x = java.util.Arrays.stream(FRACTIONS).map(f -> f * full).toArray();
        chart.addSeries("CNN-9", x, java.util.Arrays.stream(FRACTIONS).map(f -> Stats.meanAccuracy(cnn.get(f))).toArray());
        chart.addSeries("SphereNet-9", x,
                java.util.Arrays.stream(FRACTIONS).map(f -> Stats.meanAccuracy(sphere.get(f))).toArray());
        XYChart gain = Charts.lines("SphereNet minus CNN", "width multiplier", "points");
        gain.addSeries("gain", x, gains);
        context.report().plot("width.png", "accuracy and SphereNet gain against width", List.of(chart, gain));

        Comparison widestVsNarrowest = new Comparison(gains[gains.length - 1] - gains[0],
                Comparison.of(sphere.get(FRACTIONS[0]), cnn.get(FRACTIONS[0])).noise() * Math.sqrt(2));
        boolean growing = gains[0] <= gains[1] && gains[1] <= gains[2];
        boolean stillBehind = gains[gains.length - 1] < 0;
        String headline = widestVsNarrowest.sign() > 0
                ? "The SphereNet's " + (stillBehind ? "deficit shrinks" : "gain grows") + " with width ("
                        + (growing ? "monotonically" : "not monotonically") + "): this scale confirms the"
                        + " direction of the paper's claim" + (stillBehind
                                ? ", though at these widths the SphereNet never overtakes the CNN." : ".")
                : widestVsNarrowest.sign() == 0
                        ? "The SphereNet's gain does not change with width beyond the noise: this scale neither"
                                + " confirms nor refutes the paper."
                        : "The SphereNet's gain shrinks with width: this scale does not confirm the paper.";
        context.conclude(headline, List.of(
                String.format(Locale.ROOT, "Gain at the narrowest width %.2f points, at the widest %.2f: the change is %s.",
                        gains[0], gains[gains.length - 1], widestVsNarrowest),
                "All widths here are far below the paper's (widest: " + full + " of 128/192/256 channels); the"
                        + " paper's claim is about the regime of many filters."));
    }

    private static TrainConfig config(StudyContext context, String operator, double width) {
        TrainConfig c = context.base();
        c.model = "spherenet9";
        c.operator = operator;
        c.width = width;
        return c;
    }
}
