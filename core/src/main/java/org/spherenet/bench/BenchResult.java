package org.spherenet.bench;

import java.util.Arrays;

/**
 * What one benchmark run measured. The PyTorch reference ({@code bench/reference}) writes the same
 * fields, so {@code bench/compare.sh} can read both.
 *
 * @param implementation who ran it ({@code spherenet-java} here)
 * @param model the network name
 * @param operator the convolution operator
 * @param mode {@code train} (forward, loss, backward, update) or {@code inference} (forward only)
 * @param width the width multiplier
 * @param batch images per step
 * @param input {@code C,H,W}
 * @param threads intra-op threads of the engine
 * @param steps timed steps
 * @param medianMs median milliseconds per step
 * @param p25Ms first quartile
 * @param p75Ms third quartile
 * @param minMs fastest step
 * @param maxMs slowest step
 * @param imagesPerSecond batch / median
 * @param gflopPerStep floating-point work of one step (forward: 2 x multiply-adds x batch;
 *     training: 3 x that, for the two backward products)
 * @param gflops gflopPerStep / median
 * @param peakRssMiB the process's peak resident memory
 */
public record BenchResult(
        String implementation,
        String model,
        String operator,
        String mode,
        double width,
        int batch,
        String input,
        int threads,
        int steps,
        double medianMs,
        double p25Ms,
        double p75Ms,
        double minMs,
        double maxMs,
        double imagesPerSecond,
        double gflopPerStep,
        double gflops,
        double peakRssMiB) {

    /** The quantile {@code q} in {@code [0, 1]} of the values, by linear interpolation. */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
