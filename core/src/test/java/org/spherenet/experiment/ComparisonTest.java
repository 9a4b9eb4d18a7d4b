package org.spherenet.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spherenet.train.Summary;

class ComparisonTest {

    private static List<TrialResult> runs(double... accuracies) {
        return Arrays.stream(accuracies)
                .mapToObj(a -> new TrialResult("r", null, new Summary(1, true, a, a, 1, 1, 0, 1), List.of(), List.of(), null))
                .toList();
    }

    @Test
    void singleRunsDifferingByLessThanTheNoiseAreATie() {
        assertThat(Comparison.of(runs(0.901), runs(0.898)).sign()).isZero();
        assertThat(Comparison.of(runs(0.910), runs(0.900)).sign()).isEqualTo(1);
        assertThat(Comparison.of(runs(0.890), runs(0.900)).sign()).isEqualTo(-1);
        assertThat(Comparison.of(runs(0.910), runs(0.900)).difference()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void severalSeedsUseTwiceTheStandardErrorOfTheDifference() {
        // sample sd 1 point each, 3 seeds: noise 2 sqrt(1/3 + 1/3) = 1.633 points
        Comparison c = Comparison.of(runs(0.90, 0.91, 0.92), runs(0.89, 0.90, 0.91));
        assertThat(c.noise()).isCloseTo(2 * Math.sqrt(2.0 / 3), within(1e-9));
        assertThat(c.sign()).isZero();
        assertThat(c.toString()).isEqualTo("+1.00 points (within the noise of 1.63)");
    }

    @Test
    void statsOfSmallSamples() {
        assertThat(Stats.variance(new double[] {1, 2, 3, 4})).isCloseTo(5.0 / 3, within(1e-12));
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Stats.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
        assertThat(Stats.accuracy(runs(0.9))).isEqualTo("90.00");
        assertThat(Stats.accuracy(runs(0.9, 0.92))).isEqualTo("91.00 ± 1.41");
    }
}
