package org.spherenet.data;

import java.util.Set;

/**
 * One file of a dataset and what is known to verify it.
 *
 * @param name the file name as published (e.g. {@code train-images-idx3-ubyte.gz})
 * @param size the published size in bytes of the file as named, or -1 if unknown
 * @param md5 accepted MD5 digests (lower-case hex) of the file's bytes; empty if none is known
 * @param contentMd5 accepted MD5 digests of the decompressed content, for a {@code .gz} file;
 *     empty if none is known. Checking the content lets one digest accept both the upstream file
 *     and a re-compressed copy (Debian's Fashion-MNIST), or a decompressed copy.
 */
public record DataFile(String name, long size, Set<String> md5, Set<String> contentMd5) {

    /** Copies the digest sets. */
    public DataFile {
        md5 = Set.copyOf(md5);
        contentMd5 = Set.copyOf(contentMd5);
    }

    /**
     * Returns a file known by the MD5 of its bytes.
     *
     * @param name the file name
     * @param md5 the MD5 of the file
     * @return the file
     */
    public static DataFile of(String name, String md5) {
        return new DataFile(name, -1, Set.of(md5), Set.of());
    }

    /**
     * Returns a gzip file known by the MD5 of the published {@code .gz} and of its content.
     *
     * @param name the file name, ending in {@code .gz}
     * @param gzMd5 the MD5 of the published gzip file
     * @param contentMd5 the MD5 of the decompressed content, or null if unknown
     * @return the file
     */
    public static DataFile gzip(String name, String gzMd5, String contentMd5) {
        return new DataFile(
                name, -1, Set.of(gzMd5), contentMd5 == null ? Set.of() : Set.of(contentMd5));
    }

    /**
     * Returns a file known only by its size (no trusted digest published).
     *
     * @param name the file name
     * @param size the size in bytes
     * @return the file
     */
    public static DataFile sized(String name, long size) {
        return new DataFile(name, size, Set.of(), Set.of());
    }

    /**
     * Returns the name without a {@code .gz} suffix: the name of a decompressed copy.
     *
     * @return the decompressed name
     */
    public String decompressedName() {
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }
}
