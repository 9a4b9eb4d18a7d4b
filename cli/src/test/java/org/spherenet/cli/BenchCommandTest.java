package org.spherenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code spherenet bench} reports every field in both modes; bad settings are one-line errors. */
class BenchCommandTest {

    private static final String[] TINY = {"--width", "0.0625", "--batch-size", "4", "--warmup", "1", "--steps", "2"};

    @Test
    void trainAndInferenceReportTimesThroughputAndMemory() throws Exception {
        for (String mode : new String[] {"train", "inference"}) {
            String[] args = concat(new String[] {"bench", "--json", "--mode", mode}, TINY);
            Object[] result = CliTest.run(args);
            assertThat(result[0]).as((String) result[2]).isEqualTo(0);
            JsonNode json = new ObjectMapper().readTree((String) result[1]);
            assertThat(json.get("mode").asText()).isEqualTo(mode);
            assertThat(json.get("steps").asInt()).isEqualTo(2);
            assertThat(json.get("medianMs").asDouble()).isPositive();
            assertThat(json.get("minMs").asDouble()).isLessThanOrEqualTo(json.get("maxMs").asDouble());
            assertThat(json.get("imagesPerSecond").asDouble()).isPositive();
            assertThat(json.get("gflopPerStep").asDouble()).isPositive();
            assertThat(json.get("peakRssMiB").asDouble()).isPositive();
        }
        Object[] table = CliTest.run(concat(new String[] {"bench", "--model", "cnn9"}, TINY));
        assertThat((String) table[1]).contains("ms/step").contains("images/s").contains("GFLOP/s").contains("MiB");
    }

    @Test
    void itRunsWithTheThreadsAskedFor() throws Exception {
        ai.djl.engine.Engine.getInstance();
        int before = JniUtils.getNumThreads();
        try {
            for (int n : new int[] {1, 2}) {
                Object[] result = CliTest.run(concat(new String[] {"bench", "--json", "--threads", String.valueOf(n)}, TINY));
                assertThat(result[0]).as((String) result[2]).isEqualTo(0);
                assertThat(new ObjectMapper().readTree((String) result[1]).get("threads").asInt()).isEqualTo(n);
            }
        } finally {
            JniUtils.setNumThreads(before); // the setting is the process's: leave it as the other tests found it
        }
    }

    @Test
    void badSettingsAreOneLineErrors() {
        CliTest.assertUserError(CliTest.run("bench", "--mode", "fast"), "unknown mode 'fast'");
        CliTest.assertUserError(CliTest.run("bench", "--steps", "0"), "steps >= 1");
        CliTest.assertUserError(CliTest.run("bench", "--input", "28,28"), "input shape must be C,H,W");
        CliTest.assertUserError(CliTest.run("bench", "--model", "vgg16"), "unknown model 'vgg16'");
        CliTest.assertUserError(CliTest.run("bench", "--threads", "0"), "threads must be >= 1");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
