package org.spherenet.train;

import java.nio.file.Path;

/** A checkpoint that cannot be used: the message names the file and the reason, in one line. */
public class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    public CheckpointException(Path file, String reason) {
        this(file, reason, null);
    }

    public CheckpointException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    public Path getFile() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String reason() {
        return reason;
    }
}
