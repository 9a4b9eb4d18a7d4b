package org.spherenet.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * MNIST-family datasets in IDX format (Fashion-MNIST by default, MNIST, KMNIST): images (1, 28,
 * 28), labels 0..9.
 *
 * <p>Files {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]}, gzip or raw (detected by
 * content); TRAIN reads {@code train-*}, TEST and VALIDATION read {@code t10k-*}.
 *
 * <pre>{@code
 * IdxDataset train = IdxDataset.builder()
 *         .optUsage(Dataset.Usage.TRAIN)
 *         .optAugmentation(Augmentations.flip())
 *         .setSampling(128, true)
 *         .build();
 * train.prepare();
 * }</pre>
 */
public final class IdxDataset extends InMemoryImageDataset {

    private static final int SIDE = 28;

    private IdxDataset(Builder builder) {
        super(builder);
    }

    /**
     * Returns a builder for Fashion-MNIST; see {@link Builder#optSource} for the others.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected ImageSet read(Path dir) throws IOException {
        String prefix = getUsage() == Usage.TRAIN ? "train" : "t10k";
        Path imagesFile = find(dir, prefix + "-images-idx3-ubyte.gz");
        Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte.gz");
        IdxFormat.Images images = IdxFormat.readImages(imagesFile, SIDE, SIDE);
        int[] labels = IdxFormat.readLabels(labelsFile, getSource().classNames().size());
        if (labels.length != images.count()) {
            throw new DataException(
                    labelsFile,
                    String.format(
                            "%d labels but %s has %d images",
                            labels.length, imagesFile, images.count()));
        }
        return new ImageSet(
                images.pixels(), labels, 1, images.rows(), images.cols(), getSource().classNames());
    }

    private Path find(Path dir, String name) {
        Path path = getSource().find(dir, getSource().file(name));
        if (path == null) {
            throw new DataException(
                    dir.resolve(name), "missing file (nor " + name.replace(".gz", "") + ")");
        }
        return path;
    }

    /** Builds an {@link IdxDataset}. */
    public static final class Builder extends FileBuilder<Builder> {

        Builder() {
            super(DataSources.FASHION_MNIST);
        }

        /**
         * Sets the dataset: {@link DataSources#FASHION_MNIST} (default), {@link
         * DataSources#MNIST}, {@link DataSources#KMNIST}.
         *
         * @param source the dataset
         * @return this builder
         */
        public Builder optSource(DataSource source) {
            this.source = source;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the dataset; call {@code prepare()} to read it.
         *
         * @return the dataset
         */
        public IdxDataset build() {
            return new IdxDataset(this);
        }
    }
}
