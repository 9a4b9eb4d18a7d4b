package org.spherenet.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a resumed run may change. A checkpoint continues the run its configuration describes, so
 * almost every setting is fixed when the run starts: the network, the data, the seed, the batch
 * size, the optimiser and its schedule. The few listed in {@link #CHANGEABLE} only say how long to
 * go on and what to write along the way; they may change on resume, and each change is recorded in
 * {@code config.json} ({@link TrainConfig#changedOnResume}) with the iteration from which it holds.
 *
 * <p>This is the one table that classifies the settings: a setting not listed is fixed.
 */
public final class ResumeSettings {

    /**
     * The settings ({@link TrainConfig} fields) a resumed run may change. {@code iterations} may
     * only grow, and only under a schedule whose rates do not depend on the run's length
     * ({@code constant}): under {@code cosine} or {@code step}, a new length would change the
     * rates of the iterations already trained, and the run would no longer be the one its
     * configuration describes.
     */
    public static final Set<String> CHANGEABLE =
            Set.of("iterations", "evalEvery", "checkpointEvery", "gradientLogEvery", "onNonFinite");

    /**
     * A setting changed on resume.
     *
     * @param fromIteration the iteration from which {@code value} holds
     * @param setting the {@link TrainConfig} field
     * @param previous its value before
     * @param value its value from {@code fromIteration} on
     */
    public record Change(long fromIteration, String setting, Object previous, Object value) {}

    private static final ObjectMapper JSON = FiniteJson.mapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private ResumeSettings() {}

    /** Whether {@code setting} may change on resume. */
    public static boolean isChangeable(String setting) {
        return CHANGEABLE.contains(setting);
    }

    /**
     * The configuration to continue a run with: {@code stored} with the values of
     * {@code settings} taken from {@code requested}. Nothing is recorded yet ({@link #record}).
     *
     * @throws IllegalArgumentException naming the fixed settings among {@code settings}, or an
     *     iteration count the run cannot be extended to
     */
    public static TrainConfig apply(TrainConfig stored, TrainConfig requested, Collection<String> settings) {
        List<String> fixed = settings.stream().filter(s -> !isChangeable(s)).sorted().toList();
        if (!fixed.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", fixed)
                    + " cannot change when a run is resumed (fixed when it started)");
        }
        Map<String, Object> values = JSON.convertValue(stored, MAP);
        Map<String, Object> wanted = JSON.convertValue(requested, MAP);
        for (String setting : settings) {
            values.put(setting, wanted.get(setting));
        }
        TrainConfig resumed = JSON.convertValue(values, TrainConfig.class);
        if (resumed.iterations != stored.iterations) {
            if (resumed.iterations < stored.iterations) {
                throw new IllegalArgumentException("iterations can only grow when a run is resumed (it plans "
                        + stored.iterations + "), got " + resumed.iterations);
            }
            if (LearningRateSchedule.dependsOnLength(stored.schedule)) {
                throw new IllegalArgumentException("iterations cannot change when a run with the " + stored.schedule
                        + " schedule is resumed: its learning rates depend on the run's length (only a run with the"
                        + " constant schedule can be extended)");
            }
        }
        return resumed;
    }

    /**
     * Records in {@code resumed} how it differs from {@code stored}, from iteration
     * {@code fromIteration} on.
     *
     * @return whether anything changed (then {@code config.json} is to be rewritten)
     */
    public static boolean record(TrainConfig stored, TrainConfig resumed, long fromIteration) {
        Map<String, Object> before = JSON.convertValue(stored, MAP);
        Map<String, Object> after = JSON.convertValue(resumed, MAP);
        List<Change> changes = new ArrayList<>(stored.changedOnResume == null ? List.of() : stored.changedOnResume);
        for (String setting : CHANGEABLE.stream().sorted().toList()) {
            if (!Objects.equals(before.get(setting), after.get(setting))) {
                changes.add(new Change(fromIteration, setting, before.get(setting), after.get(setting)));
            }
        }
        boolean changed = changes.size() > (stored.changedOnResume == null ? 0 : stored.changedOnResume.size());
        resumed.changedOnResume = changes.isEmpty() ? null : changes;
        return changed;
    }
}
