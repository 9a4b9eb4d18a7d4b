package org.spherenet.data;

import java.util.List;

/**
 * CIFAR-10, binary version: images (3, 32, 32), labels 0..9 (airplane .. truck). TRAIN reads
 * {@code data_batch_1.bin} .. {@code data_batch_5.bin} (50,000 images), TEST and VALIDATION {@code
 * test_batch.bin} (10,000); class names from {@code batches.meta.txt} when present.
 *
 * <p>Reads the folder {@code cifar-10-batches-bin} extracts to, or {@code cifar-10-binary.tar.gz}
 * directly. For CIFAR-10+ training use {@code optAugmentation(Augmentations.cifarPlus())}.
 */
public final class Cifar10Dataset extends CifarDataset {

    private Cifar10Dataset(Builder builder) {
        super(builder);
    }

    /**
     * Returns a builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected List<String> dataFiles() {
        if (getUsage() != Usage.TRAIN) {
            return List.of("test_batch.bin");
        }
        return List.of(
                "data_batch_1.bin",
                "data_batch_2.bin",
                "data_batch_3.bin",
                "data_batch_4.bin",
                "data_batch_5.bin");
    }

    @Override
    protected int labelBytes() {
        return 1;
    }

    @Override
    protected int labelIndex() {
        return 0;
    }

    @Override
    protected String namesFile() {
        return "batches.meta.txt";
    }

    @Override
    protected List<String> defaultClassNames() {
        return getSource().classNames();
    }

    /** Builds a {@link Cifar10Dataset}. */
    public static final class Builder extends FileBuilder<Builder> {

        Builder() {
            super(DataSources.CIFAR10);
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
        public Cifar10Dataset build() {
            return new Cifar10Dataset(this);
        }
    }
}
