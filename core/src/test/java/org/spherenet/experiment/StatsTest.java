package org.spherenet.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Student's t against table values and an independent numerical integration (float64). */
class StatsTest {

    @ParameterizedTest
    @CsvSource({
        "0.975, 1, 12.706205", "0.975, 2, 4.302653", "0.975, 3, 3.182446", "0.975, 4, 2.776445",
        "0.975, 10, 2.228139", "0.975, 30, 2.042272", "0.95, 5, 2.015048", "0.995, 2, 9.924843",
        "0.9, 1, 3.077684", "0.975, 1000000, 1.959966"})
    void quantilesMatchTheTables(double p, double df, double expected) {
        assertThat(Stats.tQuantile(p, df)).isCloseTo(expected, within(2e-6));
        assertThat(Stats.tQuantile(1 - p, df)).isCloseTo(-expected, within(2e-6));
        assertThat(Stats.tQuantile(0.5, df)).isCloseTo(0, within(1e-9));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.7, 2.5, 3.3, 7.9, 23.4})
    void cdfAtRealDegreesOfFreedomMatchesTheIntegratedDensity(double df) {
        for (double t : new double[] {-3, -0.4, 0.5, 1.7, 4}) {
            assertThat(Stats.tCdf(t, df)).as("t %s, df %s", t, df).isCloseTo(0.5 + integral(0, t, df), within(1e-8));
        }
    }

    /** Simpson's rule on the density of t with df degrees of freedom. */
    private static double integral(double a, double b, double df) {
        int n = 20_000;
        double h = (b - a) / n;
        double sum = density(a, df) + density(b, df);
        for (int i = 1; i < n; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * density(a + i * h, df);
        }
        return sum * h / 3;
    }

    private static double density(double t, double df) {
        double logC = Stats.logGamma((df + 1) / 2) - Stats.logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
        return Math.exp(logC - (df + 1) / 2 * Math.log1p(t * t / df));
    }

    @Test
    void logGammaOfKnownValues() {
        assertThat(Stats.logGamma(1)).isCloseTo(0, within(1e-13));
        assertThat(Stats.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-13));
        assertThat(Stats.logGamma(10)).isCloseTo(Math.log(362_880), within(1e-11));
        assertThat(Stats.logGamma(0.1)).isCloseTo(2.252712651734206, within(1e-12));
    }

    @Test
    void halfWidthIsTheTIntervalOfTheMean() {
        // sd 1, n 3: t(0.975, 2) / sqrt(3)
        assertThat(Stats.halfWidth(new double[] {1, 2, 3})).isCloseTo(4.302653 / Math.sqrt(3), within(1e-6));
        assertThat(Stats.halfWidth(new double[] {1})).isNaN();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Stats.tQuantile(1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.tQuantile(0.9, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statsOfSmallSamples() {
        assertThat(Stats.variance(new double[] {1, 2, 3, 4})).isCloseTo(5.0 / 3, within(1e-12));
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Stats.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    }
}
