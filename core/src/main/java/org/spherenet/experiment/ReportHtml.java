package org.spherenet.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spherenet.train.AtomicFiles;

/**
 * {@code spherenet report}: every study's {@code report.md} in one static HTML page, plots inlined
 * as data URIs so the page has no external assets. It renders exactly the Markdown subset that
 * {@link Report} and {@link ResultsIndex} write: headings, paragraphs, lists, tables, code blocks,
 * images, bold, inline code and links.
 */
public final class ReportHtml {

    private static final Pattern IMAGE = Pattern.compile("^!\\[(.*)]\\((.+\\.png)\\)$");
    private static final Pattern LINK = Pattern.compile("\\[([^]]+)]\\(([^)]+)\\)");

    private static final String STYLE = "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
            + "line-height:1.45;color:#222}table{border-collapse:collapse;margin:1em 0;font-size:90%}"
            + "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{background:#f3f3f3}"
            + "pre{background:#f6f6f6;padding:.7em;overflow-x:auto}img{max-width:100%}"
            + "figure{margin:1em 0}figcaption{color:#666;font-size:90%}section{border-top:2px solid #ddd;margin-top:2em}";

    private ReportHtml() {}

    /**
     * Writes the page.
     *
     * @return the number of studies in it
     * @throws IllegalArgumentException if {@code resultsDir} holds no study results
     */
    public static int write(Path resultsDir, Path output) throws IOException {
        List<Path> studies = ResultsIndex.studyFolders(resultsDir);
        if (studies.isEmpty()) {
            throw new IllegalArgumentException(resultsDir + ": no study results (run 'spherenet experiment' first)");
        }
        ResultsIndex.write(resultsDir);
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>SphereNet experiments</title><style>" + STYLE + "</style></head><body>\n");
        render(Files.readString(resultsDir.resolve(ResultsIndex.FILE)), resultsDir, 0, html);
        for (Path dir : studies) {
            html.append("<section id=\"").append(dir.getFileName()).append("\">\n");
            Path report = dir.resolve(Experiment.REPORT);
            if (Files.exists(report)) {
                render(Files.readString(report), dir, 1, html);
            }
            html.append("</section>\n");
        }
        html.append("</body></html>\n");
        AtomicFiles.writeString(output, html.toString());
        return studies.size();
    }

    /** Renders Markdown; headings are moved {@code shift} levels down; images are read from {@code dir}. */
    static void render(String markdown, Path dir, int shift, StringBuilder html) throws IOException {
        List<String> lines = markdown.lines().toList();
        List<String> paragraph = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                flush(paragraph, html);
                continue;
            }
            Matcher image = IMAGE.matcher(line.strip());
            if (line.startsWith("#")) {
                flush(paragraph, html);
                int level = Math.min(6, line.indexOf(' ') + shift);
                html.append("<h").append(level).append('>').append(inline(line.substring(line.indexOf(' ') + 1)))
                        .append("</h").append(level).append(">\n");
            } else if (line.startsWith("```")) {
                flush(paragraph, html);
                html.append("<pre><code>");
                while (++i < lines.size() && !lines.get(i).startsWith("```")) {
                    html.append(escape(lines.get(i))).append('\n');
                }
                html.append("</code></pre>\n");
            } else if (line.startsWith("|")) {
                flush(paragraph, html);
                html.append("<table>\n");
                boolean header = true;
                for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
                    if (!lines.get(i).matches("^\\|( *---+ *\\|)+$")) {
                        row(lines.get(i), header ? "th" : "td", html);
                        header = false;
                    }
                }
                i--;
                html.append("</table>\n");
            } else if (line.startsWith("- ")) {
                flush(paragraph, html);
                html.append("<ul>\n");
                for (; i < lines.size() && lines.get(i).startsWith("- "); i++) {
                    html.append("<li>").append(inline(lines.get(i).substring(2))).append("</li>\n");
                }
                i--;
                html.append("</ul>\n");
            } else if (image.matches()) {
                flush(paragraph, html);
                Path png = dir.resolve(image.group(2));
                String src = Files.exists(png)
                        ? "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png))
                        : "";
                html.append("<figure><img alt=\"").append(escape(image.group(1))).append("\" src=\"").append(src)
                        .append("\"><figcaption>").append(escape(image.group(1))).append("</figcaption></figure>\n");
            } else {
                paragraph.add(line.strip());
            }
        }
        flush(paragraph, html);
    }

    private static void flush(List<String> paragraph, StringBuilder html) {
        if (!paragraph.isEmpty()) {
            html.append("<p>").append(inline(String.join(" ", paragraph))).append("</p>\n");
            paragraph.clear();
        }
    }

    private static void row(String line, String cell, StringBuilder html) {
        html.append("<tr>");
        // split on | that is not escaped as \|
        String inner = line.strip().substring(1, line.strip().length() - 1);
        for (String c : inner.split("(?<!\\\\)\\|", -1)) {
            html.append('<').append(cell).append('>').append(inline(c.strip().replace("\\|", "|")))
                    .append("</").append(cell).append('>');
        }
        html.append("</tr>\n");
    }

    /** Escapes, then renders **bold**, `code` and links (links to a study's report become anchors). */
    static String inline(String text) {
        String s = escape(text);
        s = s.replaceAll("`([^`]+)`", "<code>$1</code>");
        s = s.replaceAll("\\*\\*([^*]+)\\*\\*", "<strong>$1</strong>");
        Matcher link = LINK.matcher(s);
        StringBuilder out = new StringBuilder();
        while (link.find()) {
            String target = link.group(2).endsWith("/" + Experiment.REPORT)
                    ? "#" + link.group(2).substring(0, link.group(2).length() - Experiment.REPORT.length() - 1)
                    : link.group(2);
            link.appendReplacement(out, Matcher.quoteReplacement(
                    "<a href=\"" + target + "\">" + link.group(1) + "</a>"));
        }
        link.appendTail(out);
        return out.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
