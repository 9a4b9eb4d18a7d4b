package org.spherenet.train;

/**
 * The learning rate at each iteration: the authors' step schedule (divided by 10 at 34/64 and
 * 54/64 of the run, i.e. iterations 34,000 and 54,000 of 64,000, scaled to the run's length), a
 * cosine decay to zero, or a constant rate. All are pure functions of the iteration, so a resumed
 * run continues with exactly the rate it would have had. Only the constant rate does not depend on
 * the run's length, so only a run with it can be extended (see {@link ResumeSettings}).
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

    /** The same rate at every iteration. */
    static LearningRateSchedule constant(double base) {
        return it -> base;
    }

    /** Whether the rates of schedule {@code name} depend on the run's length. */
    static boolean dependsOnLength(String name) {
        return !name.equals("constant");
    }

    /**
     * Parses {@code step}, {@code cosine} or {@code constant}.
     *
     * @throws IllegalArgumentException for another name
     */
    static LearningRateSchedule parse(String name, double base, long iterations) {
        switch (name) {
            case "step":
                return step(base, iterations);
            case "cosine":
                return cosine(base, iterations);
            case "constant":
                return constant(base);
            default:
                throw new IllegalArgumentException(
                        "unknown schedule '" + name + "' (expected step, cosine or constant)");
        }
    }
}
