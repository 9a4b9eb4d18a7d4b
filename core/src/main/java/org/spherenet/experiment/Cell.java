package org.spherenet.experiment;

import org.spherenet.train.TrainConfig;

/**
 * One setting of a study, trained once per seed (the config's seed is replaced). A study's runs go
 * stage by stage, and within a stage seed by seed through the cells, so a later stage (say, the
 * dearest width) waits until every seed of the earlier ones exists.
 *
 * @param label what the study's tables call it; unique within the study
 * @param config its settings
 * @param stage 0 for the first runs, higher for later ones
 */
public record Cell(String label, TrainConfig config, int stage) {

    /** A cell of the first stage. */
    public Cell(String label, TrainConfig config) {
        this(label, config, 0);
    }
}
