package org.spherenet.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a dataset can be found or downloaded, and how to verify it. The known datasets are in
 * {@link DataSources}.
 *
 * <p>A folder holds the dataset when it contains either the {@code archive} or every one of the
 * {@code files}, each possibly decompressed (without {@code .gz}) or inside the sub-folder {@code
 * archiveFolder} (the layout the archive extracts to).
 *
 * @param name the folder name under the data root, e.g. {@code fashion-mnist}
 * @param mirrors base URLs tried in order (ending in {@code /}); empty if it cannot be downloaded
 * @param files the dataset's files
 * @param archive the archive that holds the files and is downloaded instead of them, or null
 * @param archiveFolder the folder inside the archive that holds the files, or null
 * @param systemDirs folders where an operating-system package installs the dataset
 * @param classNames the class names (the label is the index)
 * @param installHint how to install the dataset from a package, for error messages, or null
 */
public record DataSource(
        String name,
        List<String> mirrors,
        List<DataFile> files,
        DataFile archive,
        String archiveFolder,
        List<Path> systemDirs,
        List<String> classNames,
        String installHint) {

    /** Copies the lists. */
    public DataSource {
        mirrors = List.copyOf(mirrors);
        files = List.copyOf(files);
        systemDirs = List.copyOf(systemDirs);
        classNames = List.copyOf(classNames);
    }

    /**
     * Returns the same dataset downloaded from another base URL instead of the mirrors (tests, a
     * local mirror).
     *
     * @param baseUrl the base URL, with or without a trailing {@code /}
     * @return the changed source
     */
    public DataSource withBaseUrl(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        return new DataSource(
                name,
                List.of(base),
                files,
                archive,
                archiveFolder,
                systemDirs,
                classNames,
                installHint);
    }

    /**
     * Returns the description of file {@code fileName}.
     *
     * @param fileName the published name
     * @return the file
     * @throws IllegalArgumentException if the dataset has no such file
     */
    public DataFile file(String fileName) {
        return files.stream()
                .filter(f -> f.name().equals(fileName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " has no file " + fileName));
    }

    /**
     * Finds a dataset file in {@code dir}: as published, decompressed, or under {@code
     * archiveFolder}.
     *
     * @param dir the folder
     * @param file the file
     * @return the existing path, or null
     */
    public Path find(Path dir, DataFile file) {
        List<Path> bases =
                archiveFolder == null ? List.of(dir) : List.of(dir, dir.resolve(archiveFolder));
        for (Path base : bases) {
            for (String candidate : List.of(file.name(), file.decompressedName())) {
                Path path = base.resolve(candidate);
                if (Files.isRegularFile(path)) {
                    return path;
                }
            }
        }
        return null;
    }

    /**
     * Returns the archive's path in {@code dir} if it is there.
     *
     * @param dir the folder
     * @return the archive, or null
     */
    public Path findArchive(Path dir) {
        if (archive == null) {
            return null;
        }
        Path path = dir.resolve(archive.name());
        return Files.isRegularFile(path) ? path : null;
    }

    /**
     * Returns true if {@code dir} holds the archive or all the files.
     *
     * @param dir the folder
     * @return whether the dataset is complete there
     */
    public boolean isCompleteIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        return findArchive(dir) != null || files.stream().allMatch(f -> find(dir, f) != null);
    }
}
