import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The schema test of the journey: reads every JSON file the tool wrote (the arguments; a
 * {@code .jsonl} file line by line) and fails, naming file and field, where a number is NaN, a
 * string, or missing. Every file: strict JSON, and no "NaN" or "Infinity" string anywhere. The
 * files the tool documents: each field with its type ("int", "number", "number?" = number or null,
 * "bool", "string", "string?", "array", "object"). Unknown fields are allowed (new settings).
 * Run as: java -cp 'cli/target/lib/*' CheckJson.java FILE...
 */
public class CheckJson {

    private static final Map<String, Map<String, String>> SCHEMAS = Map.of(
            "summary.json", Map.of("iterations", "int", "finished", "bool", "finalTestAccuracy", "number?",
                    "bestTestAccuracy", "number?", "bestIteration", "int", "elapsedSeconds", "number",
                    "skippedSteps", "int", "parameters", "int"),
            "metrics.jsonl", Map.ofEntries(Map.entry("iteration", "int"), Map.entry("epoch", "number"),
                    Map.entry("fitLoss", "number"), Map.entry("regLoss", "number"), Map.entry("orthLoss", "number"),
                    Map.entry("trainAccuracy", "number"), Map.entry("testAccuracy", "number"),
                    Map.entry("learningRate", "number"), Map.entry("imagesPerSecond", "number"),
                    Map.entry("elapsedSeconds", "number"), Map.entry("skippedSteps", "int")),
            "model.json", Map.of("classNames", "array", "channels", "int", "height", "int", "width", "int"),
            "config.json", Map.ofEntries(Map.entry("model", "string"), Map.entry("operator", "string?"),
                    Map.entry("width", "number"), Map.entry("dataFraction", "number"), Map.entry("batchSize", "int"),
                    Map.entry("iterations", "int"), Map.entry("learningRate", "number"), Map.entry("momentum", "number"),
                    Map.entry("weightDecay", "number"), Map.entry("orthogonality", "number"),
                    Map.entry("labelSmoothing", "number"), Map.entry("probabilityFloor", "number"),
                    Map.entry("seed", "int"), Map.entry("evalEvery", "int"), Map.entry("checkpointEvery", "int"),
                    Map.entry("evalLimit", "int"), Map.entry("gradientLogEvery", "int")),
            "results.json", Map.of("scale", "string", "command", "string", "wallSeconds", "int", "trials", "array"),
            "bench.json", Map.ofEntries(Map.entry("model", "string"), Map.entry("batch", "int"),
                    Map.entry("medianMs", "number"), Map.entry("p25Ms", "number"), Map.entry("p75Ms", "number"),
                    Map.entry("imagesPerSecond", "number"), Map.entry("gflops", "number"),
                    Map.entry("peakRssMiB", "number")));

    /** The fields of each entry of results.json's "trials". */
    private static final Map<String, String> TRIAL = Map.of("label", "string", "testAccuracy", "number",
            "bestTestAccuracy", "number", "iterations", "int", "elapsedSeconds", "number", "skippedSteps", "int",
            "parameters", "int", "curve", "array", "config", "object");

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper(); // strict: a bare NaN is a parse error
        List<String> problems = new ArrayList<>();
        for (String arg : args) {
            Path file = Path.of(arg);
            String name = file.getFileName().toString();
            List<String> documents = name.endsWith(".jsonl")
                    ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList()
                    : List.of(Files.readString(file));
            for (int i = 0; i < documents.size(); i++) {
                String where = name.endsWith(".jsonl") ? file + " line " + (i + 1) : file.toString();
                JsonNode node;
                try {
                    node = json.readTree(documents.get(i));
                } catch (Exception e) {
                    problems.add(where + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""));
                    continue;
                }
                noNonFiniteStrings(node, where, problems);
                Map<String, String> schema = SCHEMAS.get(name);
                if (schema != null) {
                    check(node, schema, where, problems);
                }
                if (name.equals("results.json")) {
                    for (JsonNode trial : node.path("trials")) {
                        check(trial, TRIAL, where + " trials", problems);
                    }
                }
                if (name.equals("summary.json") && node.path("finished").asBoolean()
                        && !node.path("finalTestAccuracy").isNumber()) {
                    problems.add(where + ": a finished run without a final test accuracy");
                }
            }
        }
        problems.forEach(p -> System.err.println("schema: " + p));
        System.out.println("schema: " + args.length + " files checked, " + problems.size() + " problems");
        System.exit(problems.isEmpty() && args.length > 0 ? 0 : 1);
    }

    private static void check(JsonNode node, Map<String, String> schema, String where, List<String> problems) {
        schema.forEach((field, type) -> {
            JsonNode value = node.get(field);
            boolean ok = value != null && switch (type) {
                case "int" -> value.isIntegralNumber();
                case "number" -> value.isNumber();
                case "number?" -> value.isNumber() || value.isNull();
                case "bool" -> value.isBoolean();
                case "string" -> value.isTextual();
                case "string?" -> value.isTextual() || value.isNull();
                case "array" -> value.isArray();
                case "object" -> value.isObject();
                default -> throw new IllegalArgumentException(type);
            };
            if (!ok) {
                problems.add(where + ": " + field + " should be " + type + ", is " + (value == null ? "missing" : value));
            }
        });
    }

    private static void noNonFiniteStrings(JsonNode node, String where, List<String> problems) {
        if (node.isTextual() && node.asText().matches("[+-]?(NaN|Infinity)")) {
            problems.add(where + ": the string " + node + " where a number belongs");
        }
        node.properties().forEach(e -> noNonFiniteStrings(e.getValue(), where + " " + e.getKey(), problems));
        if (node.isArray()) {
            node.forEach(child -> noNonFiniteStrings(child, where, problems));
        }
    }
}
