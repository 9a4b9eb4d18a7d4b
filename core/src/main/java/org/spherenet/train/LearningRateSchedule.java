package org.spherenet.train;

/**
 * The learning rate at each iteration: the authors' step schedule (divided by 10 at 34/64 and
 * 54/64 of the run, i.e. iterations 34,000 and 54,000 of 64,000, scaled to the run's length) or a
 * cosine decay to zero. Both are pure functions of the iteration, so a resumed run continues with
 * exactly the rate it would have had.
 */
public interface LearningRateSchedule {

    /** The rate for iteration {@code iteration} (0-based). */
    double rate(long iteration);

    /** The authors' step schedule for a run of {@code iterations}. */
    static LearningRateSchedule step(double base, long iterations) {
        long first = Math.round(iterations * 34.0 / 64);
        long second = Math.round(iterations * 54.0 / 64);
        return it -> it < first ? base : it < second ? base / 10 : base / 100;
    }

    /** Cosine decay from {@code base} to 0 over {@code iterations}. */
    static LearningRateSchedule cosine(double base, long iterations) {
        return it -> base * 0.5 * (1 + Math.cos(Math.PI * Math.min(it, iterations) / iterations));
    }

    /**
     * Parses {@code step} or {@code cosine}.
     *
     * @throws IllegalArgumentException for another name
     */
    static LearningRateSchedule parse(String name, double base, long iterations) {
        switch (name) {
            case "step":
                return step(base, iterations);
            case "cosine":
                return cosine(base, iterations);
            default:
                throw new IllegalArgumentException(
                        "unknown schedule '" + name + "' (expected step or cosine)");
        }
    }
}
