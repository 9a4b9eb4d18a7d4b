package org.spherenet.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A table of text cells with a header row, rendered as a Markdown table. */
public final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> header) {
        this.header = header;
    }

    /** A table with these column headings. */
    public static Table of(String... header) {
        return new Table(List.of(header));
    }

    /**
     * Adds a row; cells are written with {@link String#valueOf(Object)}.
     *
     * @throws IllegalArgumentException if the row has another number of cells than the header
     */
    public Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException(
                    "row of " + cells.length + " cells in a table of " + header.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    public List<String> header() {
        return header;
    }

    public List<List<String>> rows() {
        return rows;
    }

    /** The Markdown form: a header, a rule, and one line per row ({@code |} escaped). */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        line(md, header);
        line(md, header.stream().map(h -> "---").toList());
        rows.forEach(r -> line(md, r));
        return md.toString();
    }

    private static void line(StringBuilder md, List<String> cells) {
        md.append('|');
        for (String cell : cells) {
            md.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        md.append('\n');
    }
}
