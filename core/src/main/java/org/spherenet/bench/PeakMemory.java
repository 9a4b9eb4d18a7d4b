package org.spherenet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident memory ({@code VmHWM} in {@code /proc/self/status}): the JVM heap
 * and PyTorch's native tensors together, which no Java API sees. Measure one configuration per
 * process, since the peak never goes down.
 */
public final class PeakMemory {

    private PeakMemory() {}

    /** Peak resident set size in MiB, or NaN where {@code /proc} is not available. */
    public static double peakResidentMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    // "VmHWM:    123456 kB"
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: report nothing rather than fail the benchmark
        }
        return Double.NaN;
    }
}
