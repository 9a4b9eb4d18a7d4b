package org.spherenet.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes that never leave a half-written file under the final name: the content goes to a
 * temporary file beside the target, is forced to disk, and is renamed over the target in one step.
 * A failure (a full disk, a kill) leaves the previous file as it was.
 */
public final class AtomicFiles {

    private static final String TEMP_SUFFIX = ".tmp";

    /** How bytes reach the disk; tests substitute one that runs out of space. */
    @FunctionalInterface
    interface Disk {
        Disk REAL = FileChannel::write;

        /** Writes some of {@code buffer}'s remaining bytes, as {@link FileChannel#write}. */
        int write(FileChannel channel, ByteBuffer buffer) throws IOException;
    }

    private AtomicFiles() {}

    /** Writes {@code parts} one after the other to {@code file}, atomically. */
    public static void write(Path file, byte[]... parts) throws IOException {
        write(file, null, Disk.REAL, parts);
    }

    /**
     * Writes {@code parts} to {@code file} atomically, keeping the file it replaces as {@code
     * previous}. Only once the new content is on disk is the old file renamed to {@code previous},
     * then the new one into place: at every moment at least one of the two names holds a complete
     * file.
     */
    public static void replaceKeepingPrevious(Path file, Path previous, byte[]... parts)
            throws IOException {
        write(file, previous, Disk.REAL, parts);
    }

    static void write(Path file, Path previous, Disk disk, byte[]... parts) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), TEMP_SUFFIX);
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // temporary files are private; results are ordinary readable files
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                for (byte[] part : parts) {
                    ByteBuffer buffer = ByteBuffer.wrap(part);
                    while (buffer.hasRemaining()) {
                        disk.write(channel, buffer);
                    }
                }
                channel.force(true);
            }
            if (previous != null && Files.exists(file)) {
                Files.move(file, previous, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncFolder(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes a UTF-8 string atomically. */
    public static void writeString(Path file, String content) throws IOException {
        write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes the temporary files that a writer killed mid-write left in {@code dir}. Only call it
     * while no one else can be writing there (with the run folder's lock held).
     */
    static void deleteLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".*" + TEMP_SUFFIX)) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Makes the renames durable too (a crash of the machine, not only of the process). */
    private static void syncFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some systems cannot open a folder for syncing; the rename is still atomic there
        }
    }
}
