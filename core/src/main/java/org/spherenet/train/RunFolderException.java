package org.spherenet.train;

import java.nio.file.Path;

/** A run folder that cannot be used as asked; the message is one line naming the folder. */
public class RunFolderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RunFolderException(Path dir, String reason) {
        super(dir + ": " + reason);
    }
}
