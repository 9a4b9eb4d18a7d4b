package org.spherenet.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;
import org.spherenet.train.Charts;

/**
 * A study's {@code report.md}, built block by block: headings, paragraphs, lists, tables and
 * plots (PNG files next to the report, linked from it). Only this small subset of Markdown is
 * written, which is what {@link ReportHtml} renders.
 */
public final class Report {

    private final Path dir;
    private final StringBuilder markdown = new StringBuilder();

    /**
     * @param title the report's heading
     * @param dir the folder the report and its plots go to
     */
    Report(String title, Path dir) {
        this.dir = dir;
        markdown.append("# ").append(title).append("\n\n");
    }

    /** A second-level heading. */
    public Report section(String title) {
        markdown.append("## ").append(title).append("\n\n");
        return this;
    }

    /** A paragraph (Markdown inline markup such as {@code **bold**} and {@code `code`} allowed). */
    public Report paragraph(String text) {
        markdown.append(text.strip()).append("\n\n");
        return this;
    }

    /** A bulleted list. */
    public Report bullets(List<String> items) {
        items.forEach(item -> markdown.append("- ").append(item.strip()).append('\n'));
        markdown.append('\n');
        return this;
    }

    public Report table(Table table) {
        markdown.append(table.markdown()).append('\n');
        return this;
    }

    /** A block of verbatim text, such as a command. */
    public Report code(String text) {
        markdown.append("```\n").append(text.strip()).append("\n```\n\n");
        return this;
    }

    /**
     * Writes charts side by side as {@code file} (a PNG next to the report) and shows it.
     *
     * @param file a plain file name ending in {@code .png}
     */
    public Report plot(String file, String caption, List<? extends Chart<?, ?>> charts) throws IOException {
        if (charts.stream().anyMatch(c -> c.getSeriesMap().isEmpty())) {
            // a partial study: nothing to draw yet in some chart
            Files.deleteIfExists(dir.resolve(file));
            markdown.append("(").append(caption).append(": not drawn, some settings have no runs yet)\n\n");
            return this;
        }
        Charts.writePng(dir.resolve(file), charts);
        markdown.append("![").append(caption).append("](").append(file).append(")\n\n");
        return this;
    }

    public String markdown() {
        return markdown.toString();
    }
}
