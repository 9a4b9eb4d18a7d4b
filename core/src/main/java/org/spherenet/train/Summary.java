package org.spherenet.train;

/**
 * How a run ended, written as {@code summary.json}. The accuracies are NaN ({@code null} in the
 * file, see {@link FiniteJson}) for a run stopped before its first evaluation.
 *
 * @param iterations iterations done
 * @param finished whether all planned iterations ran (false: stopped early, resumable)
 * @param finalTestAccuracy test accuracy at the latest evaluation (for a finished run: at the end)
 * @param bestTestAccuracy best test accuracy seen at an evaluation
 * @param bestIteration where it was seen
 * @param elapsedSeconds wall time across resumes
 * @param skippedSteps steps skipped because of non-finite numbers
 * @param parameters trainable parameter count
 */
public record Summary(
        long iterations,
        boolean finished,
        double finalTestAccuracy,
        double bestTestAccuracy,
        long bestIteration,
        double elapsedSeconds,
        long skippedSteps,
        long parameters) {}
