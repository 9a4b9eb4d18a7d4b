package org.spherenet.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where an image folder's training and held-out images are, in torchvision's and ImageNet's
 * layout. For a folder {@code DIR}:
 *
 * <ul>
 *   <li>{@code DIR/train/<class>/<image>} with {@code DIR/val/<class>/<image>}, or {@code
 *       DIR/test/<class>/<image>} when there is no {@code val/}: train on {@code train/}, evaluate
 *       on {@code val/} (or {@code test/}); the two must have the same class folders.
 *   <li>{@code DIR/train/<class>/<image>} alone: {@code train/} is split as a flat folder.
 *   <li>{@code DIR/<class>/<image>} (flat): a share of each class is held out (see {@link
 *       Subsets#heldOutPerClass}).
 * </ul>
 *
 * <p>{@code train/} counts as the split layout when it holds folders; a {@code train/} holding
 * images is the class "train" of a flat folder. Anything else is "neither" and a {@link
 * DataException} that says what is expected: a {@code train/} beside folders other than {@code
 * val/} and {@code test/}, a {@code val/} or {@code test/} of class folders without a {@code
 * train/}, a folder with no class folders, or a class folder without images.
 *
 * @param train the {@code <class>/<image>} tree trained on (and split when {@code heldOut} is null)
 * @param heldOut the {@code <class>/<image>} tree evaluated on, or null to split {@code train}
 */
record ImageFolderLayout(Path train, Path heldOut) {

    /** Appended to layout errors. */
    static final String EXPECTED =
            " (expected train/<class>/<images> with val/<class>/<images> or test/<class>/<images>,"
                    + " or <class>/<images>)";

    private static final List<String> HELD_OUT_NAMES = List.of("val", "test");

    /**
     * Finds the layout of {@code root}.
     *
     * @param root the {@code --data} folder
     * @return the layout
     * @throws DataException if the folder is missing or in neither layout
     */
    static ImageFolderLayout of(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new DataException(root, "missing folder");
        }
        List<Path> folders = ClassFolders.subFolders(root);
        Path train = root.resolve("train");
        if (folders.contains(train) && !ClassFolders.subFolders(train).isEmpty()) {
            Set<String> allowed = Set.of("train", "val", "test");
            List<String> others =
                    folders.stream()
                            .map(p -> p.getFileName().toString())
                            .filter(name -> !allowed.contains(name))
                            .collect(Collectors.toList());
            if (!others.isEmpty()) {
                throw new DataException(
                        root,
                        "train/ beside other folders (" + String.join(", ", others) + ")" + EXPECTED);
            }
            for (String name : HELD_OUT_NAMES) {
                if (folders.contains(root.resolve(name))) {
                    return new ImageFolderLayout(train, root.resolve(name));
                }
            }
            return new ImageFolderLayout(train, null);
        }
        for (String name : HELD_OUT_NAMES) {
            Path part = root.resolve(name);
            if (folders.contains(part)
                    && ClassFolders.images(part).isEmpty()
                    && !ClassFolders.subFolders(part).isEmpty()) {
                throw new DataException(
                        root,
                        name + "/ holds class folders but there is no train/<class>/ beside it"
                                + EXPECTED);
            }
        }
        return new ImageFolderLayout(root, null);
    }
}
