package org.spherenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.training.dataset.Dataset.Usage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which images an image folder trains on and which it holds out: never the same ones. */
class ImageFolderSplitTest {

    @TempDir Path root;

    /** Writes {@code count} 4 x 4 PNGs into {@code dir}. */
    static void images(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
            image.setRGB(0, 0, i * 997);
            ImageIO.write(image, "png", dir.resolve(String.format("img%03d.png", i)).toFile());
        }
    }

    private ImageFolderDataset open(Usage usage, double valFraction, long seed, double fraction)
            throws IOException {
        ImageFolderDataset dataset =
                ImageFolderDataset.builder()
                        .setRoot(root)
                        .optUsage(usage)
                        .optValFraction(valFraction)
                        .optSeed(seed)
                        .optFraction(fraction)
                        .optImageSize(4)
                        .setSampling(4, false)
                        .build();
        dataset.prepare();
        return dataset;
    }

    private Set<String> paths(ImageFolderDataset dataset) {
        return dataset.getFiles().stream()
                .map(p -> root.relativize(p).toString())
                .collect(Collectors.toSet());
    }

    private static Map<String, Long> perClass(ImageFolderDataset dataset) {
        return dataset.getFiles().stream()
                .collect(Collectors.groupingBy(
                        p -> p.getParent().getFileName().toString(), TreeMap::new, Collectors.counting()));
    }

    @Test
    void aFlatFolderHoldsOutAStratifiedShareNeverTrainedOnAndFixedByTheSeed() throws IOException {
        images(root.resolve("a"), 20);
        images(root.resolve("b"), 7);
        images(root.resolve("c"), 2);
        images(root.resolve("d"), 1);
        ImageFolderDataset train = open(Usage.TRAIN, 0.25, 7, 1);
        ImageFolderDataset test = open(Usage.TEST, 0.25, 7, 1);
        Set<String> trained = paths(train);
        Set<String> heldOut = paths(test);
        assertThat(trained).doesNotContainAnyElementsOf(heldOut);
        assertThat(trained.size() + heldOut.size()).isEqualTo(30);
        // round(0.25 n) clamped to [1, n - 1]; the single image of d is trained on
        assertThat(perClass(test)).containsExactly(Map.entry("a", 5L), Map.entry("b", 2L), Map.entry("c", 1L));
        assertThat(perClass(train)).containsExactly(
                Map.entry("a", 15L), Map.entry("b", 5L), Map.entry("c", 1L), Map.entry("d", 1L));
        assertThat(test.getClassNames()).isEqualTo(train.getClassNames()).containsExactly("a", "b", "c", "d");
        assertThat(test.size()).isEqualTo(8);
        // evaluated class by class in turn: --eval-limit's first images are stratified
        assertThat(java.util.stream.IntStream.range(0, 8).map(test::label).toArray())
                .containsExactly(0, 1, 2, 0, 1, 0, 0, 0);
        for (int i = 0; i < test.size(); i++) {
            assertThat(test.getClassNames().get(test.label(i)))
                    .isEqualTo(test.getFiles().get(i).getParent().getFileName().toString());
        }
        // the same seed gives the same split, in every usage; other seeds give others
        assertThat(paths(open(Usage.TEST, 0.25, 7, 1))).isEqualTo(heldOut);
        assertThat(paths(open(Usage.VALIDATION, 0.25, 7, 1))).isEqualTo(heldOut);
        assertThat(train.heldOutDescription()).isEqualTo(test.heldOutDescription())
                .startsWith("0.25 of each class held out by seed 7 (8 images, sha256 ");
        Set<Set<String>> splits = new HashSet<>();
        for (long seed = 1; seed <= 4; seed++) {
            splits.add(paths(open(Usage.TEST, 0.25, seed, 1)));
        }
        assertThat(splits).hasSizeGreaterThan(1);
        // --fraction takes its share of the training part only
        Set<String> subset = paths(open(Usage.TRAIN, 0.25, 7, 0.5));
        assertThat(subset).hasSize(8 + 3 + 1 + 1).isSubsetOf(trained);
        assertThat(paths(open(Usage.TEST, 0.25, 7, 0.5))).isSubsetOf(heldOut);
    }

    @Test
    void theHeldOutDescriptionChangesWhenTheFolderDoes() throws IOException {
        images(root.resolve("a"), 10);
        images(root.resolve("b"), 10);
        String before = open(Usage.TEST, 0.1, 1, 1).heldOutDescription();
        assertThat(open(Usage.TEST, 0.1, 1, 1).heldOutDescription()).isEqualTo(before);
        assertThat(open(Usage.TEST, 0.2, 1, 1).heldOutDescription()).isNotEqualTo(before);
        images(root.resolve("c"), 2);
        assertThat(open(Usage.TEST, 0.1, 1, 1).heldOutDescription()).isNotEqualTo(before);
    }

    @Test
    void trainAndValFoldersAreUsedAsTheyAre() throws IOException {
        images(root.resolve("train/cat"), 3);
        images(root.resolve("train/dog"), 4);
        images(root.resolve("val/cat"), 2);
        images(root.resolve("val/dog"), 1);
        images(root.resolve("test/cat"), 1); // val/ wins over test/
        images(root.resolve("test/dog"), 1);
        ImageFolderDataset train = open(Usage.TRAIN, 0.5, 1, 1);
        ImageFolderDataset test = open(Usage.TEST, 0.5, 1, 1);
        assertThat(paths(train)).hasSize(7).allMatch(p -> p.startsWith("train/"));
        assertThat(paths(test)).containsExactlyInAnyOrder(
                "val/cat/img000.png", "val/cat/img001.png", "val/dog/img000.png");
        assertThat(test.getClassNames()).containsExactly("cat", "dog");
        assertThat(test.heldOutDescription()).startsWith("val/ (3 images, sha256 ");
    }

    @Test
    void anUnreadableHeldOutImageIsReplacedByTheNextOfItsClassInTheInterleavedOrder() throws IOException {
        images(root.resolve("train/a"), 1);
        images(root.resolve("train/b"), 1);
        images(root.resolve("val/a"), 2);
        images(root.resolve("val/b"), 2);
        Files.write(root.resolve("val/a/img000.png"), new byte[] {1, 2, 3});
        ImageFolderDataset test = ImageFolderDataset.builder().setRoot(root).optUsage(Usage.TEST)
                .optImageSize(4).optSkipUnreadable(true).setSampling(4, false).build();
        test.prepare();
        assertThat(test.getFiles()).extracting(p -> root.relativize(p).toString()).containsExactly(
                "val/a/img000.png", "val/b/img000.png", "val/a/img001.png", "val/b/img001.png");
        assertThat(test.sample(0, 0).pixels()).containsExactly(test.sample(2, 0).pixels());
        assertThat(test.label(0)).isZero();
    }

    @Test
    void testIsTheHeldOutPartWhenThereIsNoVal() throws IOException {
        images(root.resolve("train/cat"), 3);
        images(root.resolve("test/cat"), 2);
        assertThat(paths(open(Usage.TRAIN, 0.5, 1, 1))).allMatch(p -> p.startsWith("train/"));
        assertThat(paths(open(Usage.TEST, 0.5, 1, 1))).containsExactlyInAnyOrder(
                "test/cat/img000.png", "test/cat/img001.png");
    }

    @Test
    void trainAloneIsSplitLikeAFlatFolder() throws IOException {
        images(root.resolve("train/cat"), 10);
        images(root.resolve("train/dog"), 10);
        Set<String> heldOut = paths(open(Usage.TEST, 0.2, 1, 1));
        assertThat(heldOut).hasSize(4).allMatch(p -> p.startsWith("train/"));
        assertThat(paths(open(Usage.TRAIN, 0.2, 1, 1))).hasSize(16).doesNotContainAnyElementsOf(heldOut);
        assertThat(open(Usage.TEST, 0.2, 1, 1).heldOutDescription()).startsWith("0.2 of each class of train/ held out by seed 1 (4 images");
    }

    @Test
    void aClassNamedTrainHoldingImagesIsAFlatFolder() throws IOException {
        images(root.resolve("bus"), 4);
        images(root.resolve("train"), 4);
        assertThat(open(Usage.TRAIN, 0.25, 1, 1).getClassNames()).containsExactly("bus", "train");
    }

    @Test
    void classFoldersThatDisagreeAreAnError() throws IOException {
        images(root.resolve("train/cat"), 2);
        images(root.resolve("train/dog"), 2);
        images(root.resolve("val/cat"), 1);
        images(root.resolve("val/cow"), 1);
        for (Usage usage : List.of(Usage.TRAIN, Usage.TEST)) {
            assertThatThrownBy(() -> open(usage, 0.1, 1, 1))
                    .isInstanceOf(DataException.class)
                    .hasMessage(root.resolve("val") + ": its class folders differ from those of train/"
                            + " (missing here: dog; not in train/: cow)");
        }
    }

    @Test
    void aFolderInNeitherLayoutIsAOneLineError() throws IOException {
        String expected = ImageFolderLayout.EXPECTED;
        Map<String, String> cases = new TreeMap<>();
        cases.put("images/", "no class sub-folders" + expected);
        cases.put("val-only/", "val/ holds class folders but there is no train/<class>/ beside it" + expected);
        cases.put("train-and-classes/", "train/ beside other folders (cat, dog)" + expected);
        cases.put("empty/", "no class sub-folders" + expected);
        cases.put("nested/", "empty class folder: no " + ClassFolders.EXTENSIONS + " images" + expected);
        images(root.resolve("images"), 3); // images directly in the folder
        images(root.resolve("val-only/val/cat"), 2);
        images(root.resolve("train-and-classes/train/cat"), 2);
        images(root.resolve("train-and-classes/cat"), 2);
        images(root.resolve("train-and-classes/dog"), 2);
        Files.createDirectories(root.resolve("empty"));
        images(root.resolve("nested/cat/more"), 2); // a class folder holding a folder, not images
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path dir = root.resolve(c.getKey());
            assertThatThrownBy(() -> ImageFolderDataset.builder().setRoot(dir).setSampling(1, false).build().prepare())
                    .as(c.getKey())
                    .isInstanceOf(DataException.class)
                    .hasMessageEndingWith(c.getValue())
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void tooFewImagesToHoldAnyOutIsAnErrorForEvaluationOnly() throws IOException {
        images(root.resolve("a"), 1);
        images(root.resolve("b"), 1);
        assertThat(open(Usage.TRAIN, 0.5, 1, 1).size()).isEqualTo(2);
        assertThatThrownBy(() -> open(Usage.TEST, 0.5, 1, 1))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(root + ": too few images to hold any out");
    }

    @Test
    void theValidationFractionMustBeBetweenZeroAndOne() {
        for (double bad : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> ImageFolderDataset.builder().optValFraction(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("validation fraction must be in (0, 1), got " + bad);
        }
    }

    @Test
    void heldOutPerClassIsStratifiedAndLeavesEveryClassInBothParts() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % 10 < 9 ? i % 3 : 3; // interleaved classes of different sizes
        }
        int[] counts = new int[4];
        for (int label : labels) {
            counts[label]++;
        }
        for (double fraction : new double[] {0.01, 0.1, 0.5, 0.99}) {
            boolean[] held = Subsets.heldOutPerClass(labels, 4, fraction, 3);
            assertThat(Subsets.heldOutPerClass(labels, 4, fraction, 3)).isEqualTo(held);
            int[] heldCounts = new int[4];
            for (int i = 0; i < labels.length; i++) {
                heldCounts[labels[i]] += held[i] ? 1 : 0;
            }
            for (int c = 0; c < 4; c++) {
                int n = counts[c];
                int k = Math.min(n - 1, Math.max(1, (int) Math.round(fraction * n)));
                assertThat(heldCounts[c]).as("class %d of %d at %s", c, n, fraction).isEqualTo(k);
            }
        }
    }
}
