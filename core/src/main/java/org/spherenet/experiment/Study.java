package org.spherenet.experiment;

import java.io.IOException;

/**
 * A named experiment that checks one claim of the paper: it plans its training runs from the
 * context's scale, runs them through the context, and writes its tables, plots and verdict into
 * the context's report. Verdicts are computed from the numbers, never written in advance.
 */
public interface Study {

    /** The command-line name, e.g. {@code operators-losses}. */
    String name();

    /** The report's title. */
    String title();

    /** The paper's claim this study checks, in a sentence or two. */
    String claim();

    /** Runs the study, filling {@code context}'s report and findings. */
    void run(StudyContext context) throws IOException;
}
