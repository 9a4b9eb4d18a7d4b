package org.spherenet.experiment;

/**
 * How long an experiment may keep starting runs ({@code --budget-minutes}): a run that started
 * before the deadline finishes, none starts after it, so the experiment stops cleanly between
 * runs (overrunning by at most one run) and a later invocation continues with the missing ones.
 * One budget is shared by all studies of {@code all}.
 */
public final class Budget {

    private final long deadlineNanos;
    private final boolean limited;

    private Budget(long deadlineNanos, boolean limited) {
        this.deadlineNanos = deadlineNanos;
        this.limited = limited;
    }

    public static Budget unlimited() {
        return new Budget(0, false);
    }

    /**
     * A budget of {@code minutes} from now.
     *
     * @throws IllegalArgumentException unless minutes > 0
     */
    public static Budget minutes(double minutes) {
        if (!(minutes > 0) || Double.isInfinite(minutes)) {
            throw new IllegalArgumentException("budget must be a positive number of minutes, got " + minutes);
        }
        return new Budget(System.nanoTime() + (long) (minutes * 60e9), true);
    }

    /**
     * The deadline on the wall clock ({@link System#currentTimeMillis}), for processes that cannot
     * share this one's monotonic clock (Spark executors); {@link Long#MAX_VALUE} when unlimited.
     */
    public long deadlineMillis() {
        return limited ? System.currentTimeMillis() + (deadlineNanos - System.nanoTime()) / 1_000_000 : Long.MAX_VALUE;
    }

    /** Whether no further run may start. */
    public boolean spent() {
        return limited && System.nanoTime() - deadlineNanos >= 0;
    }
}
