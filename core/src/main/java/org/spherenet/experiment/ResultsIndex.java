package org.spherenet.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.spherenet.train.AtomicFiles;

/** {@code results/README.md}: one line per study folder that holds a {@code results.json}. */
public final class ResultsIndex {

    public static final String FILE = "README.md";

    private ResultsIndex() {}

    /** The study folders under {@code resultsDir} with results, in the schedule's order (others after, by name). */
    public static List<Path> studyFolders(Path resultsDir) throws IOException {
        if (!Files.isDirectory(resultsDir)) {
            return List.of();
        }
        List<String> order = Studies.all().stream().map(Study::name).toList();
        try (Stream<Path> children = Files.list(resultsDir)) {
            return children.filter(d -> Files.isRegularFile(d.resolve(Experiment.RESULTS)))
                    .sorted(Comparator.<Path>comparingInt(d -> {
                        int i = order.indexOf(d.getFileName().toString());
                        return i < 0 ? order.size() : i;
                    }).thenComparing(d -> d.getFileName().toString()))
                    .toList();
        }
    }

    /** Rewrites the index from the study folders' {@code results.json}. */
    public static void write(Path resultsDir) throws IOException {
        Table table = Table.of("study", "scale", "dataset", "seeds", "runs", "date", "training time", "verdict");
        for (Path dir : studyFolders(resultsDir)) {
            JsonNode r = read(dir);
            int trials = r.path("trials").size();
            int planned = r.path("runsPlanned").asInt(trials);
            int finished = r.path("runsFinished").asInt(trials);
            Scale scale = Scale.parse(r.path("scale").asText("quick"));
            table.row("[" + r.path("title").asText(dir.getFileName().toString()) + "]("
                            + dir.getFileName() + "/" + Experiment.REPORT + ")",
                    scale.describe(), r.path("dataset").asText(), r.path("seeds").asInt(),
                    finished == planned ? String.valueOf(finished) : finished + " of " + planned + " (partial)",
                    r.path("started").asText().replaceAll("T.*", ""),
                    Experiment.duration(r.path("trainingSeconds").asDouble()),
                    r.path("findings").path("verdict").asText());
        }
        List<String> lines = new ArrayList<>();
        lines.add("# Results");
        lines.add("");
        lines.add("One folder per study of `spherenet experiment`, each with `report.md` (tables, plots, the"
                + " checks of the paper's comparisons with 95 % intervals and verdicts, and how it was made) and"
                + " `results.json` (every number); `trials/` keeps one record per finished run, so a later session"
                + " continues with the missing runs only. `spherenet report` renders them all into one HTML page."
                + " This index is rewritten after every study.");
        lines.add("");
        lines.add("Scales: `standard` runs have the main job's recipe at six epochs (5,600 iterations at width 0.125) with three"
                + " seeds, and their verdicts come from intervals; `quick` runs are a tenth as long with one seed:"
                + " indicative only, never a verdict. Standard results live in `results/`, the other scales' in"
                + " `results/SCALE/`. A partial study's verdicts are provisional.");
        lines.add("");
        lines.add(table.rows().isEmpty() ? "No study has results at this scale yet.\n" : table.markdown());
        List<String> others = new ArrayList<>();
        for (Scale scale : Scale.values()) {
            if (!studyFolders(resultsDir.resolve(scale.toString())).isEmpty()) {
                others.add("[" + scale.describe() + "](" + scale + "/" + FILE + ")");
            }
        }
        if (!others.isEmpty()) {
            lines.add("Other scales: " + String.join(", ", others) + ".");
            lines.add("");
        }
        AtomicFiles.writeString(resultsDir.resolve(FILE), String.join("\n", lines));
    }

    /** A study folder's {@code results.json}. */
    static JsonNode read(Path dir) throws IOException {
        Path file = dir.resolve(Experiment.RESULTS);
        try {
            return Experiment.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": unreadable results (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
