package org.spherenet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spherenet.experiment.ReportHtml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spherenet report}: all study results as one static HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render every study in the results folder into one HTML page (plots inlined, no external files).")
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--results", description = "Folder of study results (default: ${DEFAULT-VALUE}).")
    Path results = Path.of("results");

    @Option(names = {"-o", "--output"}, description = "The page (default: RESULTS/report.html).")
    Path output;

    @Override
    public Integer call() throws Exception {
        Path page = output != null ? output : results.resolve("report.html");
        int studies = ReportHtml.write(results, page);
        System.out.printf("%s: %d studies%n", page, studies);
        return 0;
    }
}
