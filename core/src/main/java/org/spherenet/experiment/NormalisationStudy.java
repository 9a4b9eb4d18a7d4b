package org.spherenet.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.spherenet.train.Charts;
import org.spherenet.train.TrainConfig;

/** Study (f): BatchNorm against SphereNorm (plain, rescaled, with BatchNorm) across batch sizes. */
public final class NormalisationStudy implements Study {

    /** A normalisation: label, SphereNorm, rescaled, BatchNorm. */
    private record Norm(String label, boolean sphereNorm, boolean rescaled, boolean batchNorm) {}

    private static final List<Norm> NORMS = List.of(
            new Norm("none", false, false, false),
            new Norm("BatchNorm", false, false, true),
            new Norm("SphereNorm", true, false, false),
            new Norm("rescaled SphereNorm", true, true, false),
            new Norm("SphereNorm + BatchNorm", true, false, true));

    static final List<Integer> BATCH_SIZES = List.of(4, 8, 16, 32, 64, 128);

    /** Below the standard scale: fewer iterations than the base (30 runs, the largest batches cost most). */
    private static final double ITERATIONS = 0.4;

    @Override
    public String name() {
        return "normalisation";
    }

    @Override
    public String title() {
        return "Normalisation: SphereNorm against BatchNorm across batch sizes";
    }

    @Override
    public String claim() {
        return "SphereNorm, which normalises each output by its own patch and kernel norms, does not depend on"
                + " the batch, so it stays robust at small batch sizes where BatchNorm fails; with BatchNorm it is"
                + " complementary.";
    }

    static List<Integer> batchSizes(Scale scale) {
        return scale == Scale.TINY ? List.of(4, 16) : BATCH_SIZES;
    }

    private static String label(Norm norm, int batch) {
        return norm.label() + ", batch " + batch;
    }

    @Override
    public List<Cell> cells(StudyContext context) {
        List<Cell> cells = new ArrayList<>();
        // the small batches first: the claim is about them, and they are the cheap runs
        for (int batch : batchSizes(context.scale())) {
            for (Norm norm : NORMS) {
                TrainConfig c = context.base(ITERATIONS);
                c.model = "cnn9";
                c.batchSize = batch;
                c.sphereNorm = norm.sphereNorm();
                c.sphereNormRescaled = norm.rescaled();
                c.batchNorm = norm.batchNorm();
                cells.add(new Cell(label(norm, batch), c));
            }
        }
        return cells;
    }

    @Override
    public void report(StudyContext context) throws IOException {
        List<Integer> batchSizes = batchSizes(context.scale());
        List<String> header = new ArrayList<>(List.of("normalisation"));
        batchSizes.forEach(b -> header.add("batch " + b));
        Table table = Table.of(header.toArray(String[]::new));
        Map<String, Object> numbers = new LinkedHashMap<>();
        XYChart chart = Charts.lines("test accuracy by batch size", "batch size", "accuracy (%)");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        double[] x = batchSizes.stream().mapToDouble(Integer::doubleValue).toArray();
        for (Norm norm : NORMS) {
            List<Object> cells = new ArrayList<>(List.of(norm.label()));
            Map<Integer, double[]> row = new LinkedHashMap<>();
            for (int batch : batchSizes) {
                cells.add(Stats.accuracy(context.runs(label(norm, batch))));
                row.put(batch, Stats.accuracies(context.runs(label(norm, batch))));
            }
            table.row(cells.toArray());
            numbers.put(norm.label(), row);
            Plots.addMeans(chart, norm.label(), x, List.copyOf(row.values()));
        }
        context.record("testAccuracyPercent", numbers);
        context.report().section("Test accuracy (%) by batch size")
                .paragraph(String.format(Locale.ROOT, "CNN-9 (plain convolutions) whose every convolution is"
                        + " normalised as listed, %,d iterations at each batch size (so small batches see fewer"
                        + " images); mean ± sd over seeds. SphereNorm uses the cosine; \"rescaled\" adds a learned"
                        + " per-channel scale and shift.", context.base(ITERATIONS).iterations))
                .table(table);
        context.report().plot("normalisation.png", "mean test accuracy against batch size (95 % intervals)",
                List.of(chart));

        Norm bn = NORMS.get(1);
        List<Check> small = new ArrayList<>();
        List<Check> complementary = new ArrayList<>();
        for (int batch : batchSizes) {
            if (batch <= 16) {
                for (Norm n : NORMS.subList(2, 4)) {
                    small.add(new Check(String.format("batch %d: %s minus BatchNorm", batch, n.label()),
                            "above (BatchNorm fails at small batches)", 1,
                            Comparison.of(context.runs(label(n, batch)), context.runs(label(bn, batch)))));
                }
            } else {
                complementary.add(new Check(String.format("batch %d: SphereNorm + BatchNorm minus BatchNorm", batch),
                        "above (complementary)", 1, Comparison.of(context.runs(label(NORMS.get(4), batch)),
                                context.runs(label(bn, batch)))));
            }
        }
        List<Check> checks = new ArrayList<>(small);
        checks.addAll(complementary);
        context.checks("The paper's comparisons", "Differences in test-accuracy points.", checks);
        context.conclude(String.format("SphereNorm against BatchNorm at batches of 16 and below: %s. SphereNorm +"
                + " BatchNorm against BatchNorm at 32 and above: %s.", Check.tally(small), Check.tally(complementary)),
                List.of("The paper gives no numbers for these comparisons that could be recovered (DESIGN.md)."));
    }
}
