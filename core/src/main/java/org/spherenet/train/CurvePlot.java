package org.spherenet.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Draws {@code curves.png} (loss, and train/test accuracy, against iterations) at each evaluation. */
public final class CurvePlot implements TrainingListener {

    public static final String FILE = "curves.png";

    private static final Logger LOGGER = LoggerFactory.getLogger(CurvePlot.class);

    private final Path dir;
    private final MetricsLog log;

    /** Plots the rows of {@code log} into {@code dir}. */
    public CurvePlot(Path dir, MetricsLog log) {
        this.dir = dir;
        this.log = log;
    }

    @Override
    public void onEvaluation(Metrics metrics) {
        List<Metrics> rows = log.rows();
        double[] x = rows.stream().mapToDouble(Metrics::iteration).toArray();
        XYChart loss = chart("training loss", "loss");
        loss.addSeries("fit loss", x, rows.stream().mapToDouble(Metrics::fitLoss).toArray());
        XYChart accuracy = chart("accuracy", "accuracy");
        accuracy.addSeries("train", x, rows.stream().mapToDouble(Metrics::trainAccuracy).toArray());
        accuracy.addSeries("test", x, rows.stream().mapToDouble(Metrics::testAccuracy).toArray());
        try {
            Charts.writePng(dir.resolve(FILE), List.of(loss, accuracy));
        } catch (IOException | RuntimeException e) {
            // a plot is a convenience: never let it stop a run
            LOGGER.warn("could not draw {}: {}", dir.resolve(FILE), e.toString());
        }
    }

    private static XYChart chart(String title, String yTitle) {
        return Charts.lines(title, "iteration", yTitle);
    }
}
