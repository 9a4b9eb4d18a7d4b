package org.spherenet.train;

import java.io.IOException;
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

    private final Path dir;
    private final List<Metrics> rows = new ArrayList<>();

    public MetricsLog(Path dir) {
        this.dir = dir;
    }

    /** The rows of a run folder's log. */
    public static List<Metrics> read(Path dir) throws IOException {
        return JsonLines.read(dir.resolve(JSONL), Metrics.class);
    }

    @Override
    public void onStart(TrainConfig config, long startIteration) {
        rows.addAll(JsonLines.readUpTo(dir.resolve(JSONL), Metrics.class, Metrics::iteration,
                startIteration, "metrics"));
    }

    @Override
    public void onEvaluation(Metrics metrics) {
        rows.add(metrics);
        StringBuilder csv = new StringBuilder(Metrics.CSV_HEADER).append('\n');
        rows.forEach(m -> csv.append(m.csv()).append('\n'));
        try {
            JsonLines.write(dir.resolve(JSONL), rows);
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
