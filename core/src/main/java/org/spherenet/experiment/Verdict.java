package org.spherenet.experiment;

/** What a comparison's interval says about one of the paper's claims. */
public enum Verdict {
    /** The interval excludes zero in the paper's direction. */
    CONFIRMED("confirmed"),
    /** The interval excludes zero in the other direction. */
    REFUTED("refuted"),
    /** The interval holds zero, or there is none (fewer than two runs a side). */
    UNDECIDED("undecided"),
    /** A side has no finished runs yet. */
    NOT_RUN("not run yet");

    private final String text;

    Verdict(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
