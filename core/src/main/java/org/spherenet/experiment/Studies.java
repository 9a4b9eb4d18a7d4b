package org.spherenet.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The studies by name, in the order of the schedule (most informative first): (a) operators, (b)
 * losses, (c) convergence, (d) depth, (e) width, (f) normalisation, (g) learnable, then the
 * conditioning study, whose runs at standard scale are (a)'s. {@code all} runs them in this order.
 */
public final class Studies {

    private static final Map<String, Study> STUDIES = new LinkedHashMap<>();

    static {
        for (Study s : List.of(new OperatorsStudy(), new LossesStudy(), new ConvergenceStudy(), new DepthStudy(),
                new WidthStudy(), new NormalisationStudy(), new LearnableStudy(), new ConditioningStudy())) {
            STUDIES.put(s.name(), s);
        }
    }

    private Studies() {}

    public static List<Study> all() {
        return List.copyOf(STUDIES.values());
    }

    /**
     * Looks a study up by name.
     *
     * @throws IllegalArgumentException listing the names
     */
    public static Study get(String name) {
        Study s = STUDIES.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown study '" + name + "' (known: "
                    + String.join(", ", STUDIES.keySet()) + ", or all)");
        }
        return s;
    }
}
