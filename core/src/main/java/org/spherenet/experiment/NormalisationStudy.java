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

/** Study 5: BatchNorm against SphereNorm (plain, rescaled, with BatchNorm) across batch sizes. */
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

    /** Fewer iterations than the base: 30 runs, the largest batches cost most. */
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

    @Override
    public void run(StudyContext context) throws IOException {
        Map<Norm, Map<Integer, List<TrialResult>>> runs = new LinkedHashMap<>();
        List<Integer> batchSizes = context.scale() == Scale.TINY ? List.of(4, 16) : BATCH_SIZES;
        long iterations = 0;
        for (Norm norm : NORMS) {
            Map<Integer, List<TrialResult>> byBatch = new LinkedHashMap<>();
            for (int batch : batchSizes) {
                TrainConfig c = context.base(ITERATIONS);
                iterations = c.iterations;
                c.model = "cnn9";
                c.batchSize = batch;
                c.sphereNorm = norm.sphereNorm();
                c.sphereNormRescaled = norm.rescaled();
                c.batchNorm = norm.batchNorm();
                byBatch.put(batch, context.trainSeeds(norm.label() + ", batch " + batch, c));
            }
            runs.put(norm, byBatch);
        }
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
            Map<Integer, Double> row = new LinkedHashMap<>();
            for (int batch : batchSizes) {
                cells.add(Stats.accuracy(runs.get(norm).get(batch)));
                row.put(batch, Stats.meanAccuracy(runs.get(norm).get(batch)));
            }
            table.row(cells.toArray());
            numbers.put(norm.label(), row);
            chart.addSeries(norm.label(), x, row.values().stream().mapToDouble(Double::doubleValue).toArray());
        }
        context.record("testAccuracyPercent", numbers);
        context.report().section("Test accuracy (%) by batch size")
                .paragraph(String.format(Locale.ROOT, "CNN-9 (plain convolutions) whose every convolution is"
                        + " normalised as listed, %,d iterations at each batch size (so small batches see fewer"
                        + " images). SphereNorm uses the cosine; \"rescaled\" adds a learned per-channel scale and"
                        + " shift.", iterations))
                .table(table);
        context.report().plot("normalisation.png", "test accuracy against batch size", List.of(chart));
        conclude(context, runs, batchSizes);
    }

    private static void conclude(StudyContext context, Map<Norm, Map<Integer, List<TrialResult>>> runs,
            List<Integer> batchSizes) {
        Norm bn = NORMS.get(1);
        List<String> details = new ArrayList<>();
        int smallWins = 0;
        int small = 0;
        for (int batch : batchSizes) {
            if (batch > 16) {
                continue;
            }
            small++;
            Comparison best = null;
            String bestLabel = null;
            for (Norm n : NORMS.subList(2, 4)) {
                Comparison c = Comparison.of(runs.get(n).get(batch), runs.get(bn).get(batch));
                if (best == null || c.difference() > best.difference()) {
                    best = c;
                    bestLabel = n.label();
                }
            }
            smallWins += best.sign() > 0 ? 1 : 0;
            details.add(String.format("Batch %d: the better SphereNorm (%s) minus BatchNorm %s.", batch, bestLabel, best));
        }
        for (int batch : batchSizes) {
            if (batch >= 32) {
                details.add(String.format("Batch %d: SphereNorm + BatchNorm minus BatchNorm %s.", batch,
                        Comparison.of(runs.get(NORMS.get(4)).get(batch), runs.get(bn).get(batch))));
            }
        }
        int aheadOfNone = 0;
        for (int batch : batchSizes) {
            Comparison c = Comparison.of(runs.get(NORMS.get(2)).get(batch), runs.get(NORMS.get(0)).get(batch));
            aheadOfNone += c.sign() > 0 ? 1 : 0;
        }
        details.add(String.format("SphereNorm (plain) against no normalisation at all: ahead at %d of %d batch sizes.",
                aheadOfNone, batchSizes.size()));
        String headline = String.format("At batch sizes of 16 and below SphereNorm (without BatchNorm) beat BatchNorm"
                + " in %d of %d: this scale %s the claim that SphereNorm is robust where BatchNorm fails.",
                smallWins, small, 2 * smallWins > small ? "confirms" : smallWins > 0 ? "partly confirms" : "does not confirm");
        context.conclude(headline, details);
    }
}
