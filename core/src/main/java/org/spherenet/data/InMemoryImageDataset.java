package org.spherenet.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Base of the datasets read whole into an {@link ImageSet} (IDX, CIFAR): finds the files with a
 * {@link DataLocator} on {@link #prepare}, then serves copies of the stored uint8 images.
 */
public abstract class InMemoryImageDataset extends ImageDataset {

    private final DataSource source;
    private final Path dataDir;
    private final DataLocator locator;
    private ImageSet images;

    /**
     * Creates the dataset from its builder.
     *
     * @param builder the builder
     */
    protected InMemoryImageDataset(FileBuilder<?> builder) {
        super(builder);
        this.source = builder.source;
        this.dataDir = builder.dataDir;
        this.locator = builder.locator != null ? builder.locator : DataLocator.fromEnvironment();
    }

    /**
     * Reads the split this dataset is for from a folder that {@link DataLocator} found.
     *
     * @param dir the folder holding the dataset (see {@link DataSource})
     * @return the images and labels
     * @throws IOException if a file cannot be read
     */
    protected abstract ImageSet read(Path dir) throws IOException;

    /**
     * Returns the dataset's source (files, checksums, download addresses).
     *
     * @return the source
     */
    public DataSource getSource() {
        return source;
    }

    /**
     * Returns all the images and labels of the split, as read (before {@code optFraction} and
     * {@code optLimit}); treat the arrays as read-only.
     *
     * @return the image set
     * @throws IllegalStateException before {@link #prepare}
     */
    public ImageSet getImageSet() {
        if (images == null) {
            throw new IllegalStateException("call prepare() first");
        }
        return images;
    }

    @Override
    protected void load() throws IOException {
        images = read(locator.locate(source, dataDir));
    }

    @Override
    protected int[] itemLabels() {
        return getImageSet().labels();
    }

    @Override
    protected ByteImage itemImage(int item, SplittableRandom random) {
        return images.image(item);
    }

    @Override
    public List<String> getClassNames() {
        return getImageSet().classNames();
    }

    /**
     * Builder options of the datasets read from files that can be located and downloaded.
     *
     * @param <T> the concrete builder
     */
    public abstract static class FileBuilder<T extends FileBuilder<T>> extends ImageBuilder<T> {

        DataSource source;
        Path dataDir;
        DataLocator locator;

        /**
         * Creates the builder.
         *
         * @param source the dataset's default source
         */
        protected FileBuilder(DataSource source) {
            this.source = source;
        }

        /**
         * Reads the data from this folder (the command line's {@code --data DIR}): {@code
         * DIR/<name>} or {@code DIR} itself. Default: search as {@link DataLocator} describes.
         *
         * @param dataDir the folder, or null to search
         * @return this builder
         */
        public T optDataDir(Path dataDir) {
            this.dataDir = dataDir;
            return self();
        }

        /**
         * Sets the locator (default {@link DataLocator#fromEnvironment()}).
         *
         * @param locator the locator
         * @return this builder
         */
        public T optLocator(DataLocator locator) {
            this.locator = locator;
            return self();
        }
    }
}
