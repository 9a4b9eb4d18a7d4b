package org.spherenet.train;

import java.nio.file.Path;

/** A checkpoint that cannot be used: the message names the file and the reason, in one line. */
public class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public CheckpointException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    public CheckpointException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    public Path getFile() {
        return file;
    }
}
