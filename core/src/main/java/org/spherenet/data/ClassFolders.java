package org.spherenet.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The images of one {@code dir/<class>/<image>} tree, as torchvision's {@code ImageFolder} lists
 * them: the class index is the position of the folder name in the sorted list of sub-folders,
 * files are taken in sorted order, hidden files and folders are ignored.
 *
 * @param classNames the sorted class folder names
 * @param files the image files, class by class, each class sorted
 * @param labels the class index of every file
 */
record ClassFolders(List<String> classNames, List<Path> files, int[] labels) {

    /** The image file extensions read (the format is recognised from the content). */
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /**
     * Lists {@code dir}'s class folders and their images.
     *
     * @param dir the folder holding one sub-folder per class
     * @param expected what the user should have given, appended to the layout errors
     * @throws DataException if the folder is missing, has no class folders or an empty one
     */
    static ClassFolders read(Path dir, String expected) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir, "missing folder");
        }
        List<Path> classDirs = subFolders(dir);
        if (classDirs.isEmpty()) {
            throw new DataException(dir, "no class sub-folders" + expected);
        }
        List<String> classNames = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path classDir : classDirs) {
            List<Path> images = images(classDir);
            if (images.isEmpty()) {
                throw new DataException(
                        classDir, "empty class folder: no " + EXTENSIONS + " images" + expected);
            }
            for (Path image : images) {
                files.add(image);
                labels.add(classNames.size());
            }
            classNames.add(classDir.getFileName().toString());
        }
        return new ClassFolders(
                List.copyOf(classNames),
                List.copyOf(files),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Returns the images where {@code keep} is true, in the same order, with the same classes.
     *
     * @param keep one flag per file
     * @return the subset
     */
    ClassFolders select(boolean[] keep) {
        int[] kept = IntStream.range(0, files.size()).filter(i -> keep[i]).toArray();
        return new ClassFolders(
                classNames,
                IntStream.of(kept).mapToObj(files::get).collect(Collectors.toUnmodifiableList()),
                IntStream.of(kept).map(i -> labels[i]).toArray());
    }

    /**
     * Returns the same images taken class by class in turn: the first of every class, then the
     * second of every class that has one, and so on; any prefix is as stratified as it can be.
     *
     * @return the reordered images
     */
    ClassFolders interleaved() {
        int[] seen = new int[classNames.size()];
        int[] round = new int[labels.length]; // the image's position within its class
        for (int i = 0; i < labels.length; i++) {
            round[i] = seen[labels[i]]++;
        }
        int[] order = IntStream.range(0, labels.length).boxed()
                .sorted(Comparator.<Integer>comparingInt(i -> round[i]).thenComparingInt(i -> labels[i]))
                .mapToInt(Integer::intValue).toArray();
        return new ClassFolders(
                classNames,
                IntStream.of(order).mapToObj(files::get).collect(Collectors.toUnmodifiableList()),
                IntStream.of(order).map(i -> labels[i]).toArray());
    }

    /** The non-hidden sub-folders of {@code dir}, sorted. */
    static List<Path> subFolders(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** The image files directly in {@code dir}, sorted. */
    static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(ClassFolders::isImageFile).sorted().collect(Collectors.toList());
        }
    }

    private static boolean isImageFile(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".")
                && dot > 0
                && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))
                && Files.isRegularFile(path);
    }
}
