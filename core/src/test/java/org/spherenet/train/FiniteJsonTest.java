package org.spherenet.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NaN and infinities are written as null, never as the strings Jackson writes by default. */
class FiniteJsonTest {

    @Test
    void nonFiniteNumbersAreWrittenAsNullAndReadBackAsNaN() throws Exception {
        Summary stoppedEarly = new Summary(7, false, Double.NaN, Double.NaN, 0, 1.5, 0, 100);
        String json = RunFolder.JSON.writeValueAsString(stoppedEarly);
        JsonNode tree = RunFolder.JSON.readTree(json);
        assertThat(tree.get("finalTestAccuracy").isNull()).as(json).isTrue();
        assertThat(tree.get("bestTestAccuracy").isNull()).isTrue();
        assertThat(tree.get("elapsedSeconds").isNumber()).isTrue();
        assertThat(json).doesNotContain("NaN");
        Summary back = RunFolder.JSON.readValue(json, Summary.class);
        assertThat(back.finalTestAccuracy()).isNaN();
        assertThat(back.elapsedSeconds()).isEqualTo(1.5);
    }

    @Test
    void everyWayADoubleIsWrittenIsCovered() throws Exception {
        Map<String, Object> values = Map.of(
                "boxed", Double.POSITIVE_INFINITY,
                "float", Float.NaN,
                "doubles", new double[] {1, Double.NaN, Double.NEGATIVE_INFINITY},
                "floats", new float[] {Float.NaN, 2},
                "list", List.of(Double.NaN, 3.0));
        String json = FiniteJson.mapper().writeValueAsString(values);
        assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
        JsonNode tree = FiniteJson.mapper().readTree(json);
        assertThat(tree.get("boxed").isNull()).isTrue();
        assertThat(tree.get("doubles").toString()).isEqualTo("[1.0,null,null]");
        assertThat(tree.get("floats").toString()).isEqualTo("[null,2.0]");
        assertThat(tree.get("list").toString()).isEqualTo("[null,3.0]");
    }

    @Test
    void filesWrittenBeforeWithTheStringNaNStillRead() throws Exception {
        String old = "{\"iterations\":20,\"finished\":true,\"finalTestAccuracy\":\"NaN\",\"bestTestAccuracy\":0.5,"
                + "\"bestIteration\":10,\"elapsedSeconds\":3,\"skippedSteps\":0,\"parameters\":5}";
        Summary summary = RunFolder.JSON.readValue(old, Summary.class);
        assertThat(summary.finalTestAccuracy()).isNaN();
        assertThat(summary.bestTestAccuracy()).isEqualTo(0.5);
    }
}
