package org.spherenet.data;

import ai.djl.training.dataset.Dataset.Usage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The dataset registry: every dataset the tool trains on, by name. Adding a dataset means adding
 * its reader and one line here.
 */
public final class Datasets {

    private static final Map<String, Function<Path, ImageDataset.ImageBuilder<?>>> BUILDERS =
            new LinkedHashMap<>();

    static {
        BUILDERS.put("fashion-mnist", dir -> IdxDataset.builder().optDataDir(dir));
        BUILDERS.put("mnist", dir -> IdxDataset.builder().optSource(DataSources.MNIST).optDataDir(dir));
        BUILDERS.put("kmnist", dir -> IdxDataset.builder().optSource(DataSources.KMNIST).optDataDir(dir));
        BUILDERS.put("cifar10", dir -> Cifar10Dataset.builder().optDataDir(dir));
        BUILDERS.put("cifar100", dir -> Cifar100Dataset.builder().optDataDir(dir));
        BUILDERS.put("image-folder", Datasets::imageFolder);
    }

    private Datasets() {}

    /** The registered names. */
    public static Iterable<String> names() {
        return BUILDERS.keySet();
    }

    /**
     * A builder for the named dataset, with the data folder set.
     *
     * @param name a registered name
     * @param dataDir the {@code --data} folder, or null to search the usual places
     * @throws IllegalArgumentException for an unknown name
     */
    public static ImageDataset.ImageBuilder<?> builder(String name, Path dataDir) {
        Function<Path, ImageDataset.ImageBuilder<?>> builder =
                BUILDERS.get(name.toLowerCase(Locale.ROOT));
        if (builder == null) {
            throw new IllegalArgumentException(
                    "unknown dataset '" + name + "' (known: " + String.join(", ", BUILDERS.keySet()) + ")");
        }
        return builder.apply(dataDir);
    }

    /**
     * Opens a split ready to iterate: read, verified, augmented as asked.
     *
     * @param name a registered name
     * @param usage TRAIN or TEST
     * @param dataDir the {@code --data} folder, or null
     * @param augmentation applied to every sample, or null
     * @param fraction share of each class kept, (0, 1]
     * @param valFraction share of each class an image folder without {@code val/} or {@code
     *     test/} holds out for evaluation, (0, 1); other datasets have fixed test files
     * @param seed fixes shuffling and augmentation, and which images an image folder holds out
     * @param batchSize the batch size; the training split is shuffled per epoch and drops the last
     *     partial batch, the test split is read in order and keeps it
     */
    public static ImageDataset open(
            String name,
            Usage usage,
            Path dataDir,
            Augmentation augmentation,
            double fraction,
            double valFraction,
            long seed,
            int batchSize)
            throws java.io.IOException {
        boolean train = usage == Usage.TRAIN;
        ImageDataset.ImageBuilder<?> builder = builder(name, dataDir);
        if (builder instanceof ImageFolderDataset.Builder folder) {
            folder.optValFraction(valFraction); // the only dataset without fixed test files
        }
        ImageDataset dataset =
                builder.optUsage(usage)
                        .optAugmentation(augmentation)
                        .optFraction(fraction)
                        .optSeed(seed)
                        .setSampling(batchSize, train, train)
                        .build();
        dataset.prepare();
        return dataset;
    }

    private static ImageDataset.ImageBuilder<?> imageFolder(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("the image-folder dataset needs --data DIR");
        }
        return ImageFolderDataset.builder().setRoot(dir);
    }
}
