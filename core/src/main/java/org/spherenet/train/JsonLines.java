package org.spherenet.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The run logs' format: one JSON object per line. The logs are small, so a file is read whole and
 * rewritten whole, atomically, rather than appended to.
 */
final class JsonLines {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** Replaces {@code file} with {@code rows}, one per line. */
    static void write(Path file, List<?> rows) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Object row : rows) {
            text.append(JSON.writeValueAsString(row)).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }
}
