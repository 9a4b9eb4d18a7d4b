package org.spherenet.experiment;

import java.io.IOException;
import java.util.List;

/**
 * A named experiment that checks claims of the paper. It lists its settings ({@link #cells}), which
 * the experiment trains once per seed (or reads back, or leaves missing: another shard's, beyond
 * the budget, or a report-only call), and then writes its tables, plots, checks and verdict from
 * the runs that exist ({@link #report}). Verdicts are computed from the numbers, never written in
 * advance; a study whose runs are not all there says so.
 */
public interface Study {

    /** The command-line name, e.g. {@code operators}. */
    String name();

    /** The report's title. */
    String title();

    /** The paper's claim this study checks, in a sentence or two. */
    String claim();

    /** The settings to train, most informative first; labels are unique. */
    List<Cell> cells(StudyContext context);

    /**
     * Writes the report from the runs that exist ({@link StudyContext#runs}); any cell may have
     * fewer seeds than planned, or none.
     */
    void report(StudyContext context) throws IOException;
}
