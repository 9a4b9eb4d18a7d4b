package org.spherenet.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReportHtmlTest {

    @Test
    void rendersTheMarkdownSubsetAndEscapesEverythingElse() throws Exception {
        String md = "# Title <x>\n\nA **bold** and `code` line\ncontinued [link](depth/report.md).\n\n"
                + "| a | b \\| c |\n| --- | --- |\n| 1 & 2 | <b> |\n\n- one\n- two\n\n```\nrun <this>\n```\n";
        StringBuilder html = new StringBuilder();
        ReportHtml.render(md, Path.of("."), 1, html);
        assertThat(html.toString()).isEqualTo("<h2>Title &lt;x&gt;</h2>\n"
                + "<p>A <strong>bold</strong> and <code>code</code> line continued <a href=\"#depth\">link</a>.</p>\n"
                + "<table>\n<tr><th>a</th><th>b | c</th></tr>\n<tr><td>1 &amp; 2</td><td>&lt;b&gt;</td></tr>\n</table>\n"
                + "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
                + "<pre><code>run &lt;this&gt;\n</code></pre>\n");
    }

    @Test
    void aTableRendersTheWayTheHtmlReadsIt() {
        Table t = Table.of("x", "y|z").row(1, "a|b");
        assertThat(t.markdown()).isEqualTo("| x | y\\|z |\n| --- | --- |\n| 1 | a\\|b |\n");
        StringBuilder html = new StringBuilder();
        try {
            ReportHtml.render(t.markdown(), Path.of("."), 0, html);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(html.toString()).contains("<th>y|z</th>", "<td>a|b</td>");
    }
}
