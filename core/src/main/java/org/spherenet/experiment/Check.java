package org.spherenet.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One comparison the paper makes, checked: what is compared (first minus second), the paper's own
 * number for it, the direction the paper claims, and our difference with its interval.
 *
 * @param what e.g. "sigmoid(0.3) minus conv, softmax (accuracy points)"
 * @param paper the paper's number for the same comparison, or what it says ("" if it gives none)
 * @param expected +1 if the paper says the first is above the second, -1 if below
 * @param ours our difference
 */
public record Check(String what, String paper, int expected, Comparison ours) {

    public Verdict verdict() {
        return ours.verdict(expected);
    }

    /** The checks as a table: comparison, the paper, ours with its interval, the verdict. */
    public static Table table(List<Check> checks) {
        Table table = Table.of("comparison (first minus second)", "paper (CIFAR-10)", "ours: difference [95 % interval]",
                "verdict");
        checks.forEach(c -> table.row(c.what(), c.paper().isEmpty() ? "—" : c.paper(), c.ours(), "**" + c.verdict() + "**"));
        return table;
    }

    /** How many checks got each verdict, e.g. "2 confirmed, 1 refuted, 3 undecided". */
    public static String tally(List<Check> checks) {
        List<String> parts = new ArrayList<>();
        for (Verdict v : Verdict.values()) {
            long n = count(checks, v);
            if (n > 0) {
                parts.add(n + " " + v);
            }
        }
        return parts.isEmpty() ? "no comparisons" : String.join(", ", parts);
    }

    public static long count(List<Check> checks, Verdict verdict) {
        return checks.stream().filter(c -> c.verdict() == verdict).count();
    }

    /** What {@code results.json} records of a check. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("comparison", what);
        m.put("paper", paper);
        m.put("expectedSign", expected);
        m.put("difference", finite(ours.difference()));
        m.put("low", finite(ours.low()));
        m.put("high", finite(ours.high()));
        m.put("method", ours.method().toString());
        m.put("runs", List.of(ours.first(), ours.second()));
        m.put("verdict", verdict().toString());
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
