package org.spherenet.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Draws {@code curves.png} (loss, and train/test accuracy, against iterations) at each evaluation. */
public final class CurvePlot implements TrainingListener {

    public static final String FILE = "curves.png";

    private static final Logger LOGGER = LoggerFactory.getLogger(CurvePlot.class);

    static {
        System.setProperty("java.awt.headless", "true"); // draws into files only
    }

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
        Path temp = null;
        try {
            // XChart appends the extension itself
            temp = Files.createTempFile(dir, ".curves", ".png");
            Files.delete(temp);
            String base = temp.toString().substring(0, temp.toString().length() - 4);
            BitmapEncoder.saveBitmap(List.of(loss, accuracy), 1, 2, base, BitmapEncoder.BitmapFormat.PNG);
            Files.move(temp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // a plot is a convenience: never let it stop a run
            LOGGER.warn("could not draw {}: {}", dir.resolve(FILE), e.toString());
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOGGER.debug("could not delete {}", file, e);
        }
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(520).height(380).title(title)
                .xAxisTitle("iteration").yAxisTitle(yTitle).build();
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }
}
