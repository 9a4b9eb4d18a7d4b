package org.spherenet.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code metrics.jsonl} and {@code metrics.csv} at every evaluation. The files are small,
 * so each is rewritten whole and atomically; on resume, rows past the checkpoint (written before a
 * crash) are dropped so that the log matches an uninterrupted run.
 */
public final class MetricsLog implements TrainingListener {

    public static final String JSONL = "metrics.jsonl";
    public static final String CSV = "metrics.csv";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<Metrics> rows = new ArrayList<>();

    public MetricsLog(Path dir) {
        this.dir = dir;
    }

    /** The rows of a run folder's log. */
    public static List<Metrics> read(Path dir) throws IOException {
        Path file = dir.resolve(JSONL);
        List<Metrics> rows = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    rows.add(JSON.readValue(line, Metrics.class));
                }
            }
        }
        return rows;
    }

    @Override
    public void onStart(TrainConfig config, long startIteration) {
        try {
            for (Metrics m : read(dir)) {
                if (m.iteration() <= startIteration) {
                    rows.add(m);
                }
            }
        } catch (IOException e) {
            throw new RunFolderException(dir.resolve(JSONL), "unreadable metrics: " + RunFolder.firstLine(e.getMessage()));
        }
    }

    @Override
    public void onEvaluation(Metrics metrics) {
        rows.add(metrics);
        StringBuilder jsonl = new StringBuilder();
        StringBuilder csv = new StringBuilder(Metrics.CSV_HEADER).append('\n');
        try {
            for (Metrics m : rows) {
                jsonl.append(JSON.writeValueAsString(m)).append('\n');
                csv.append(m.csv()).append('\n');
            }
            AtomicFiles.writeString(dir.resolve(JSONL), jsonl.toString());
            AtomicFiles.writeString(dir.resolve(CSV), csv.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The rows so far. */
    public List<Metrics> rows() {
        return rows;
    }
}
