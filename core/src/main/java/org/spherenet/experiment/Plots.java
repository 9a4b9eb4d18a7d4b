package org.spherenet.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;

/**
 * Charts of means over seeds with error bars: the 95 % t interval of the mean (none for a single
 * seed). Settings without runs are left out.
 */
final class Plots {

    private Plots() {}

    /** Mean test accuracy (%) of each group as a bar, with its interval (an empty chart if no group has runs). */
    static CategoryChart bars(String title, Map<String, List<TrialResult>> groups) {
        CategoryChart chart = new CategoryChartBuilder().width(560).height(380).title(title)
                .xAxisTitle("").yAxisTitle("test accuracy (%)").build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(30);
        List<String> names = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        for (var g : groups.entrySet()) {
            double[] a = Stats.accuracies(g.getValue());
            if (a.length > 0) {
                names.add(g.getKey());
                means.add(Stats.mean(a));
                errors.add(errorBar(a));
                min = Math.min(min, Stats.mean(a) - errorBar(a));
            }
        }
        if (!names.isEmpty()) {
            // start the axis near the bars: differences of a point would vanish on an axis from 0
            chart.getStyler().setYAxisMin(Math.max(0, Math.floor(min - 1)));
            chart.addSeries("mean", names, means, errors);
        }
        return chart;
    }

    /**
     * Adds the series of means of {@code samples[i]} at {@code x[i]} with error bars (points
     * without samples left out; nothing added if none has any).
     */
    static void addMeans(XYChart chart, String name, double[] x, List<double[]> samples) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            double[] s = samples.get(i);
            if (s.length > 0) {
                xs.add(x[i]);
                ys.add(Stats.mean(s));
                errors.add(errorBar(s));
            }
        }
        if (!xs.isEmpty()) {
            chart.addSeries(name, xs, ys, errors);
        }
    }

    private static double errorBar(double[] samples) {
        double h = Stats.halfWidth(samples);
        return Double.isFinite(h) ? h : 0;
    }
}
