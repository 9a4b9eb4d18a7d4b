package org.spherenet.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** Draws {@code curves.png} (loss, and train/test accuracy, against iterations) at each evaluation. */
public final class CurvePlot implements TrainingListener {

    public static final String FILE = "curves.png";

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
            Path temp = Files.createTempFile(dir, ".curves", ".png");
            BitmapEncoder.saveBitmap(List.of(loss, accuracy), 1, 2, temp.toString(), BitmapEncoder.BitmapFormat.PNG);
            Files.move(temp, dir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
