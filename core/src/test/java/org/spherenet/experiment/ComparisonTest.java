package org.spherenet.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spherenet.train.Summary;
import org.spherenet.train.TrainConfig;

/** Intervals and verdicts on synthetic results with known answers. */
class ComparisonTest {

    /** Runs with these accuracies (%) and seeds 1, 2, ...; {@code batch} sets their data order. */
    static List<TrialResult> runs(int batch, double... percent) {
        List<TrialResult> list = new ArrayList<>();
        for (int i = 0; i < percent.length; i++) {
            TrainConfig c = new TrainConfig();
            c.seed = i + 1;
            c.batchSize = batch;
            double a = percent[i] / 100;
            list.add(new TrialResult("r", c, new Summary(1, true, a, a, 1, 1, 0, 1), List.of(), LayerGradients.NONE,
                    List.of(), "spherenet9-000000000000"));
        }
        return list;
    }

    @Test
    void runsWithTheSameSeedsAndBatchesArePairedBySeed() {
        // differences 1.0, 1.2, 1.5: mean 1.2333, sd 0.25166, half width t(0.975, 2) sd / sqrt 3 = 0.625162
        Comparison c = Comparison.of(runs(64, 90, 91, 92.5), runs(64, 89, 89.8, 91));
        assertThat(c.method()).isEqualTo(Comparison.Method.PAIRED);
        assertThat(c.difference()).isCloseTo(1.233333, within(1e-5));
        assertThat(c.low()).isCloseTo(1.233333 - 0.625162, within(1e-5));
        assertThat(c.high()).isCloseTo(1.233333 + 0.625162, within(1e-5));
        assertThat(c.verdict(1)).isEqualTo(Verdict.CONFIRMED);
        assertThat(c.verdict(-1)).isEqualTo(Verdict.REFUTED);
        assertThat(c.toString()).isEqualTo("+1.23 [+0.61, +1.86] (paired t, 3 seeds)");
    }

    @Test
    void runsOnDifferentDataOrdersGetWelchsInterval() {
        // equal variances (1) and sizes (3): df = 4, se = sqrt(2/3), half width 2.776445 * 0.816497
        Comparison c = Comparison.of(runs(64, 90, 91, 92), runs(32, 88, 89, 90));
        assertThat(c.method()).isEqualTo(Comparison.Method.WELCH);
        assertThat(c.difference()).isCloseTo(2, within(1e-9));
        assertThat(c.high() - c.difference()).isCloseTo(2.776445 * Math.sqrt(2.0 / 3), within(1e-5));
        assertThat(c.verdict(1)).isEqualTo(Verdict.UNDECIDED); // the interval [-0.27, 4.27] holds zero
        // the same numbers paired: differences all 2, no spread, the interval is the point
        assertThat(Comparison.of(runs(64, 90, 91, 92), runs(64, 88, 89, 90)).verdict(1)).isEqualTo(Verdict.CONFIRMED);
    }

    @Test
    void welchDegreesOfFreedomForUnequalVariances() {
        // a: n 3, variance 1; b: n 4, variance 25/3. va = 1/3, vb = 25/12;
        // df = (va + vb)^2 / (va^2 / 2 + vb^2 / 3) = 3.9665
        double[] a = {1, 2, 3};
        double[] b = {0, 5, 2.5, 7.5};
        double va = 1.0 / 3;
        double vb = Stats.variance(b) / 4;
        double df = (va + vb) * (va + vb) / (va * va / 2 + vb * vb / 3);
        Comparison c = Comparison.welch(a, b);
        assertThat(c.difference()).isCloseTo(2 - 3.75, within(1e-12));
        assertThat(c.high() - c.difference()).isCloseTo(Stats.tQuantile(0.975, df) * Math.sqrt(va + vb), within(1e-9));
        // and the quantile at that df lies between the tables' df 3 and df 4
        assertThat(Stats.tQuantile(0.975, df)).isBetween(2.776445, 3.182446);
    }

    @Test
    void aClearDeficitRefutesAndOneSeedOrNoRunsDecideNothing() {
        assertThat(Comparison.of(runs(64, 85, 85.5, 86), runs(64, 90, 90.3, 91)).verdict(1)).isEqualTo(Verdict.REFUTED);
        Comparison single = Comparison.of(runs(64, 95), runs(64, 80));
        assertThat(single.verdict(1)).isEqualTo(Verdict.UNDECIDED);
        assertThat(single.toString()).isEqualTo("+15.00 (one run each: no interval)");
        assertThat(Comparison.of(runs(64, 95, 96), runs(64, 80)).verdict(1)).isEqualTo(Verdict.UNDECIDED);
        Comparison none = Comparison.of(runs(64), runs(64, 80, 81));
        assertThat(none.verdict(1)).isEqualTo(Verdict.NOT_RUN);
        assertThat(none.toString()).isEqualTo("not run yet");
    }

    @Test
    void unequalSeedSetsAreNotPaired() {
        assertThat(Comparison.of(runs(64, 90, 91, 92), runs(64, 89, 90)).method()).isEqualTo(Comparison.Method.WELCH);
    }

    @Test
    void aPairedContrastIsTheIntervalOfThePerSeedContrasts() {
        // (a - b) - (c - d) per seed: 2 - 1 = 1, 3 - 1 = 2, 4 - 1 = 3: mean 2, sd 1
        Comparison c = Comparison.contrast(List.of(runs(64, 92, 93, 94), runs(64, 90, 90, 90), runs(64, 80, 80, 80),
                runs(64, 79, 79, 79)), new double[] {1, -1, -1, 1}, r -> 100 * r.accuracy());
        assertThat(c.method()).isEqualTo(Comparison.Method.PAIRED);
        assertThat(c.difference()).isCloseTo(2, within(1e-9));
        assertThat(c.high() - 2).isCloseTo(4.302653 / Math.sqrt(3), within(1e-5));
        assertThat(c.verdict(1)).isEqualTo(Verdict.UNDECIDED); // [-0.48, +4.48]: three seeds of spread 1 decide nothing
        // unpaired (one group on another data order): the variances add, Welch-Satterthwaite df
        Comparison w = Comparison.contrast(List.of(runs(64, 92, 93, 94), runs(32, 90, 90, 90)), new double[] {1, -1},
                r -> 100 * r.accuracy());
        assertThat(w.method()).isEqualTo(Comparison.Method.WELCH);
        assertThat(w.high() - w.difference()).isCloseTo(Stats.tQuantile(0.975, 2) * Math.sqrt(1.0 / 3), within(1e-9));
    }

    @Test
    void checksTallyTheirVerdicts() {
        List<Check> checks = List.of(
                new Check("a", "", 1, Comparison.of(runs(64, 90, 91, 92.5), runs(64, 89, 89.8, 91))),
                new Check("b", "", -1, Comparison.of(runs(64, 90, 91, 92.5), runs(64, 89, 89.8, 91))),
                new Check("c", "", 1, Comparison.of(runs(64, 90), runs(64, 89))));
        assertThat(Check.tally(checks)).isEqualTo("1 confirmed, 1 refuted, 1 undecided");
        assertThat(Check.table(checks).rows().get(1)).last().isEqualTo("**refuted**");
    }
}
