package org.spherenet.data;

import java.nio.file.Path;

/**
 * A dataset file is missing, malformed, unsafe or fails its checksum.
 *
 * <p>The message is always one line, {@code <file>: <reason>}, so that the command-line tool can
 * print it as is and exit with status 2.
 */
public class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    /**
     * Creates an exception about one file or folder.
     *
     * @param file the file or folder concerned (may be null when there is none)
     * @param reason what is wrong, one line
     */
    public DataException(Path file, String reason) {
        this(file, reason, null);
    }

    /**
     * Creates an exception about one file or folder, with the exception that revealed it.
     *
     * @param file the file or folder concerned (may be null when there is none)
     * @param reason what is wrong, one line
     * @param cause the underlying exception, may be null
     */
    public DataException(Path file, String reason, Throwable cause) {
        super(oneLine(file, reason), cause);
        this.file = file;
        this.reason = reason;
    }

    /**
     * Returns the file or folder concerned.
     *
     * @return the path, or null
     */
    public Path getFile() {
        return file;
    }

    /**
     * Returns what is wrong, without the file name.
     *
     * @return the reason
     */
    public String getReason() {
        return reason;
    }

    private static String oneLine(Path file, String reason) {
        String text = (file == null ? "" : file + ": ") + reason;
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
