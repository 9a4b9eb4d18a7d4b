package org.spherenet.train;

import java.nio.file.Path;

/**
 * A checkpoint file that is missing, cut off, fails its checksum or cannot be parsed: damage a
 * crash or a full disk can cause, so the run's previous checkpoint may be used instead. (A
 * checkpoint of another network or format is not damage: the previous one would not fit either.)
 */
public class DamagedCheckpointException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public DamagedCheckpointException(Path file, String reason) {
        super(file, reason);
    }

    public DamagedCheckpointException(Path file, String reason, Throwable cause) {
        super(file, reason, cause);
    }
}
