package org.spherenet.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The run logs' format: one JSON object per line. The logs are small, so a file is read whole and
 * rewritten whole, atomically, rather than appended to.
 */
final class JsonLines {

    private static final ObjectMapper JSON = FiniteJson.mapper();

    private JsonLines() {}

    /** The rows of {@code file}, or none if it does not exist. */
    static <T> List<T> read(Path file, Class<T> type) throws IOException {
        List<T> rows = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    rows.add(JSON.readValue(line, type));
                }
            }
        }
        return rows;
    }

    /**
     * The rows of a run's log up to iteration {@code last}: a resumed run drops the rows written
     * after its checkpoint, so that the log matches an uninterrupted run. An unreadable log is a
     * {@link RunFolderException} naming the file and {@code what} it holds.
     */
    static <T> List<T> readUpTo(Path file, Class<T> type, ToLongFunction<T> iteration, long last,
            String what) {
        try {
            List<T> rows = read(file, type);
            rows.removeIf(row -> iteration.applyAsLong(row) > last);
            return rows;
        } catch (IOException e) {
            throw new RunFolderException(
                    file, "unreadable " + what + ": " + RunFolder.firstLine(e.getMessage()));
        }
    }

    /** Replaces {@code file} with {@code rows}, one per line. */
    static void write(Path file, List<?> rows) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Object row : rows) {
            text.append(JSON.writeValueAsString(row)).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }
}
