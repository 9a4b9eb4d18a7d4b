package org.spherenet.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset.Usage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.knowm.xchart.XYChart;
import org.spherenet.data.Datasets;
import org.spherenet.data.ImageDataset;
import org.spherenet.nn.Angular;
import org.spherenet.train.Charts;
import org.spherenet.train.TrainConfig;

/**
 * Study (h), the last of the schedule (at standard scale its runs are the operators study's): is learning on the sphere better conditioned? Two checks: the condition number of a
 * one-layer problem's Hessian on real image patches ({@link PatchConditioning}), and per-layer
 * gradient statistics while training the 9-layer CNN and SphereNet.
 */
public final class ConditioningStudy implements Study {

    private static final int TEACHERS = 5;

    @Override
    public String name() {
        return "conditioning";
    }

    @Override
    public String title() {
        return "Conditioning: the Hessian on image patches, and gradients layer by layer";
    }

    @Override
    public String claim() {
        return "Optimisation on the hypersphere is better conditioned than with the inner product (the paper's"
                + " theory, for a simplified one-layer model), and bounded SphereConv outputs keep gradients from"
                + " vanishing or exploding across layers.";
    }

    private static final List<String> OPERATORS = List.of("conv", "linear");

    private static String label(String operator) {
        return operator.equals("conv") ? "CNN-9" : "SphereNet-9";
    }

    @Override
    public List<Cell> cells(StudyContext context) {
        List<Cell> cells = new ArrayList<>();
        for (String operator : OPERATORS) {
            TrainConfig c = context.base();
            c.model = "spherenet9";
            c.operator = operator;
            cells.add(new Cell(label(operator), c));
        }
        return cells;
    }

    @Override
    public void report(StudyContext context) throws IOException {
        gradients(context, hessian(context));
    }

    /** How many (kernel, g) cases the angular problem was better conditioned in. */
    private record HessianTally(int better, int cases) {

        boolean confirms() {
            return 2 * better > cases;
        }

        @Override
        public String toString() {
            return "the angular problem was better conditioned than the inner product in " + better + " of "
                    + cases + " (kernel, g) cases";
        }
    }

    private static HessianTally hessian(StudyContext context) throws IOException {
        int images = context.scale() == Scale.TINY ? 50 : 2000;
        int count = context.scale() == Scale.TINY ? 500 : 20_000;
        TrainConfig base = context.base();
        ImageDataset data = Datasets.open(base.dataset, Usage.TRAIN, base.dataDir == null ? null : Path.of(base.dataDir),
                null, 1, base.valFraction, base.seed, 1);
        List<float[]> pixels = new ArrayList<>();
        Shape shape;
        try (NDManager manager = NDManager.newBaseManager()) {
            shape = data.get(manager, 0).getData().head().getShape();
            for (int i = 0; i < Math.min(images, data.size()); i++) {
                NDArray image = data.get(manager, i).getData().head();
                pixels.add(image.toFloatArray());
                image.close();
            }
        }
        int channels = (int) shape.get(0);
        Map<String, Angular> parameterisations = new LinkedHashMap<>();
        parameterisations.put("cosine", Angular.cosine());
        parameterisations.put("linear", Angular.linear());
        parameterisations.put("sigmoid(0.3)", Angular.sigmoid(0.3));
        Table table = Table.of("kernel", "inner product", "angular: cosine", "angular: linear", "angular: sigmoid(0.3)");
        Map<String, Object> numbers = new LinkedHashMap<>();
        int better = 0;
        int cases = 0;
        for (int kernel : new int[] {3, 5}) {
            List<double[]> patches = PatchConditioning.patches(pixels, channels, (int) shape.get(1),
                    (int) shape.get(2), kernel, count, 7);
            double inner = PatchConditioning.innerProduct(patches);
            List<Object> cells = new ArrayList<>(List.of(channels + "x" + kernel + "x" + kernel, sci(inner)));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("innerProduct", inner);
            for (var p : parameterisations.entrySet()) {
                Random random = new Random(kernel);
                double[] conds = new double[TEACHERS];
                for (int t = 0; t < TEACHERS; t++) {
                    double[] teacher = PatchConditioning.randomKernel(channels * kernel * kernel, random);
                    conds[t] = PatchConditioning.angular(patches, teacher, p.getValue());
                }
                double median = Stats.median(conds);
                cells.add(sci(median) + " (" + sci(Arrays.stream(conds).min().orElse(0)) + " to "
                        + sci(Arrays.stream(conds).max().orElse(0)) + ")");
                row.put(p.getKey(), conds);
                cases++;
                better += median < inner ? 1 : 0;
            }
            table.row(cells.toArray());
            numbers.put(kernel + "x" + kernel, row);
        }
        context.record("hessianConditionNumbers", numbers);
        context.report().section("Condition number of the Hessian on image patches")
                .paragraph(String.format(Locale.ROOT, "%,d random patches from the first %,d training images, as the"
                        + " network sees them (normalised). Least squares of one kernel against a random teacher"
                        + " kernel; the angular columns give the median over %d teachers (and the range), on the"
                        + " tangent space of the sphere. Lower is better conditioned: gradient descent needs"
                        + " about that many times more steps along the flattest direction than along the"
                        + " steepest.", count, pixels.size(), TEACHERS))
                .table(table);
        HessianTally tally = new HessianTally(better, cases);
        context.record("hessianAngularBetter", tally.toString());
        return tally;
    }

    private static void gradients(StudyContext context, HessianTally hessian) throws IOException {
        // runs recorded without gradient statistics (the quick scale's records) cannot be used here
        List<TrialResult> cnnRuns = context.runs(label("conv")).stream().filter(r -> r.gradients().layers() > 2).toList();
        List<TrialResult> sphereRuns =
                context.runs(label("linear")).stream().filter(r -> r.gradients().layers() > 2).toList();
        List<String> details = new ArrayList<>();
        details.add("Hessian on patches: " + hessian + ".");
        List<Check> checks = new ArrayList<>();
        if (!cnnRuns.isEmpty() && !sphereRuns.isEmpty()) {
            LayerGradients cnn = cnnRuns.get(0).gradients();
            LayerGradients sphere = sphereRuns.get(0).gradients();
            Table table = Table.of("layer", "CNN-9 |grad|", "SphereNet-9 |grad|", "CNN-9 |grad|/|w|",
                    "SphereNet-9 |grad|/|w|", "CNN-9 variation over time", "SphereNet-9 variation over time");
            int layers = Math.min(cnn.layers(), sphere.layers());
            for (int i = 0; i < layers; i++) {
                table.row(i + 1, sci(cnn.gradient()[i]), sci(sphere.gradient()[i]), sci(cnn.relative()[i]),
                        sci(sphere.relative()[i]), fmt(cnn.variation()[i]), fmt(sphere.variation()[i]));
            }
            context.record("gradientStatistics", Map.of("CNN-9", cnn, "SphereNet-9", sphere));
            context.report().section("Gradients layer by layer while training")
                    .paragraph("Medians over the first seed's run of each layer's gradient norm and of its ratio to"
                            + " the weight norm (the step a unit learning rate would take, relative to the weight:"
                            + " what matters for a SphereConv kernel, whose length does not change its output), and"
                            + " the variation over time (standard deviation / mean of the gradient norm). Layers 1-9"
                            + " are the 3x3 convolutions, 10 is fc6, 11 the classifier. Gradients logged every "
                            + context.base().gradientLogEvery + " iterations.")
                    .table(table);
            XYChart chart = Charts.lines("median |grad| / |w| by layer", "layer", "ratio");
            chart.getStyler().setYAxisLogarithmic(true);
            double[] x = new double[layers];
            Arrays.setAll(x, i -> i + 1);
            chart.addSeries("CNN-9", x, Arrays.copyOf(cnn.relative(), layers));
            chart.addSeries("SphereNet-9", x, Arrays.copyOf(sphere.relative(), layers));
            context.report().plot("gradients.png", "relative gradient norm by layer", List.of(chart));
            // spread over the nine conv layers, per seed: paired by seed like the accuracies
            checks.add(new Check("spread of |grad|/|w| over the conv layers (largest / smallest median),"
                    + " SphereNet-9 minus CNN-9", "below (gradients kept in range across layers)", -1,
                    Comparison.of(sphereRuns, cnnRuns, r -> r.gradients().spread(r.gradients().layers() - 2))));
            checks.add(new Check("median variation over time of a conv layer's gradient norm, SphereNet-9 minus"
                    + " CNN-9", "below", -1, Comparison.of(sphereRuns, cnnRuns,
                            r -> Stats.median(Arrays.copyOf(r.gradients().variation(), r.gradients().layers() - 2)))));
            context.checks("The paper's comparisons", "Differences of per-run gradient statistics, over seeds.",
                    checks);
        }
        String headline = "Hessian: " + (hessian.confirms() ? "better" : "not better") + " conditioned on the sphere"
                + " in most (kernel, g) cases; gradient evenness and steadiness, SphereNet against CNN: "
                + Check.tally(checks) + ".";
        context.conclude(headline, details);
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
