package org.spherenet.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads members of a {@code .tar.gz} without extracting, or extracts it safely.
 *
 * <p>Extraction refuses (with a {@link DataException}) any entry whose name is absolute or has a
 * {@code ..} component, and any link whose target is absolute or has a {@code ..} component; such
 * links could make later entries, or readers, leave the target folder. Without {@code ..}, a
 * relative link can only point into the folder tree below its own folder. Before writing, the real
 * path of each entry's folder is checked to lie inside the target, and the total size is bounded.
 */
public final class TarGz {

    /** The largest member {@link #read} accepts: the largest Java array. */
    static final long MAX_MEMBER_BYTES = Integer.MAX_VALUE - 8;

    private TarGz() {}

    /**
     * Reads the named regular-file members into memory in one pass over the archive.
     *
     * @param archive the {@code .tar.gz} file
     * @param names the member names wanted (full paths inside the archive)
     * @return the members found, by name; wanted names absent from the archive are absent here
     * @throws DataException if a wanted member is truncated or too large, or the archive is corrupt
     */
    public static Map<String, byte[]> read(Path archive, Set<String> names) {
        Map<String, byte[]> found = new HashMap<>();
        try (TarArchiveInputStream tar = open(archive)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!isRegularFile(entry) || !names.contains(entry.getName())) {
                    continue;
                }
                Path member = member(archive, entry.getName());
                if (entry.getSize() > MAX_MEMBER_BYTES) {
                    throw new DataException(
                            member, "member of " + entry.getSize() + " bytes is too large");
                }
                // readNBytes grows its buffer as data arrives, so a size field that lies costs
                // no memory before the truncation is detected.
                byte[] bytes = tar.readNBytes((int) entry.getSize());
                if (bytes.length != entry.getSize()) {
                    throw new DataException(
                            member,
                            "truncated: " + bytes.length + " of " + entry.getSize() + " bytes");
                }
                found.put(entry.getName(), bytes);
            }
        } catch (IOException e) {
            throw new DataException(archive, "cannot read archive: " + e.getMessage(), e);
        }
        return found;
    }

    /**
     * Extracts the archive into {@code target}, refusing unsafe entries (see the class comment).
     *
     * @param archive the {@code .tar.gz} file
     * @param target the folder to extract into (created if needed)
     * @param maxBytes the most bytes the extracted files may total
     * @throws DataException on an unsafe entry, too much data, or a corrupt archive
     */
    public static void extract(Path archive, Path target, long maxBytes) {
        long total = 0;
        try (TarArchiveInputStream tar = open(archive)) {
            Files.createDirectories(target);
            Path root = target.toRealPath();
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = safePath(archive, root, entry.getName());
                if (out.equals(root)) {
                    continue; // "./": the target itself
                }
                Path parent = out.getParent();
                Files.createDirectories(parent);
                if (!parent.toRealPath().startsWith(root)) {
                    throw unsafe(archive, entry.getName(), "its folder leads outside the target");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    checkLinkTarget(archive, entry);
                    Files.deleteIfExists(out);
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    checkLinkTarget(archive, entry);
                    Path existing = safePath(archive, root, entry.getLinkName());
                    Files.deleteIfExists(out);
                    Files.createLink(out, existing);
                } else if (isRegularFile(entry)) {
                    total += entry.getSize();
                    if (total > maxBytes) {
                        throw new DataException(
                                archive, "extracts to more than " + maxBytes + " bytes");
                    }
                    Files.deleteIfExists(out);
                    try (OutputStream stream =
                            Files.newOutputStream(
                                    out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        long copied = tar.transferTo(stream);
                        if (copied != entry.getSize()) {
                            throw new DataException(member(archive, entry.getName()), "truncated");
                        }
                    }
                }
                // Devices, FIFOs and other special entries are skipped.
            }
        } catch (IOException e) {
            throw new DataException(archive, "cannot extract archive: " + e.getMessage(), e);
        }
    }

    /** commons-compress counts links and devices as files too. */
    private static boolean isRegularFile(TarArchiveEntry entry) {
        return entry.isFile()
                && !entry.isSymbolicLink()
                && !entry.isLink()
                && !entry.isCharacterDevice()
                && !entry.isBlockDevice()
                && !entry.isFIFO();
    }

    private static TarArchiveInputStream open(Path archive) throws IOException {
        InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        return new TarArchiveInputStream(new GZIPInputStream(file, 1 << 16));
    }

    /** Resolves an entry name under {@code root}, refusing absolute names and {@code ..}. */
    private static Path safePath(Path archive, Path root, String name) {
        if (isAbsolute(name)) {
            throw unsafe(archive, name, "absolute path");
        }
        if (hasDotDot(name)) {
            throw unsafe(archive, name, "path with ..");
        }
        Path out = root.resolve(name).normalize();
        if (!out.startsWith(root)) {
            throw unsafe(archive, name, "leads outside the target");
        }
        return out;
    }

    private static void checkLinkTarget(Path archive, TarArchiveEntry entry) {
        String link = entry.getLinkName();
        if (isAbsolute(link) || hasDotDot(link)) {
            throw unsafe(
                    archive, entry.getName(), "link to " + link + " may leave the target folder");
        }
    }

    private static boolean isAbsolute(String name) {
        return name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*");
    }

    private static boolean hasDotDot(String name) {
        for (String part : name.split("[/\\\\]")) {
            if (part.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static DataException unsafe(Path archive, String name, String why) {
        return new DataException(archive, "unsafe archive entry " + name + ": " + why);
    }

    private static Path member(Path archive, String name) {
        return Path.of(archive + "!/" + name);
    }
}
