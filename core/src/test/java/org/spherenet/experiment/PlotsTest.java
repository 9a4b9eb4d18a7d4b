package org.spherenet.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.spherenet.train.Charts;

/** Error bars are the 95 % intervals of the means; settings without runs are left out of plots. */
class PlotsTest {

    @Test
    void barsAndLinesCarryTheIntervalsAndSkipSettingsWithoutRuns(@TempDir Path dir) throws Exception {
        Map<String, List<TrialResult>> groups = new LinkedHashMap<>();
        groups.put("conv", ComparisonTest.runs(64, 90, 91, 92));
        groups.put("linear", ComparisonTest.runs(64));
        groups.put("cosine", ComparisonTest.runs(64, 89));
        CategoryChart bars = Plots.bars("t", groups);
        var series = bars.getSeriesMap().get("mean");
        assertThat(series.getXData().stream().map(String::valueOf).toList()).containsExactly("conv", "cosine");
        List<Double> errors = series.getExtraValues().stream().map(Number::doubleValue).toList();
        assertThat(errors.get(0)).isCloseTo(4.302653 / Math.sqrt(3), within(1e-5));
        assertThat(errors.get(1)).isZero(); // one seed: no interval

        XYChart lines = Charts.lines("t", "x", "y");
        Plots.addMeans(lines, "a", new double[] {1, 2}, List.of(new double[] {1, 2, 3}, new double[0]));
        Plots.addMeans(lines, "none", new double[] {1}, List.of(new double[0]));
        assertThat(lines.getSeriesMap()).containsOnlyKeys("a");

        Report report = new Report("r", dir);
        report.plot("ok.png", "with runs", List.of(bars, lines));
        report.plot("empty.png", "without runs", List.of(Plots.bars("t", Map.of("x", List.of()))));
        assertThat(Files.readAllBytes(dir.resolve("ok.png"))).startsWith(0x89, 'P', 'N', 'G');
        assertThat(Files.exists(dir.resolve("empty.png"))).isFalse();
        assertThat(report.markdown()).contains("![with runs](ok.png)", "(without runs: not drawn, some settings have no runs yet)");
    }
}
