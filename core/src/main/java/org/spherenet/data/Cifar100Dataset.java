package org.spherenet.data;

import java.util.List;

/**
 * CIFAR-100, binary version: images (3, 32, 32), fine labels 0..99 by default or coarse labels
 * 0..19 ({@link Builder#optCoarseLabels}). TRAIN reads {@code train.bin} (50,000 images), TEST and
 * VALIDATION {@code test.bin} (10,000); class names from {@code fine_label_names.txt} / {@code
 * coarse_label_names.txt} when present, else "0", "1", ...
 *
 * <p>A record is {@code <coarse label><fine label><3072 pixels>}. Reads the folder {@code
 * cifar-100-binary} extracts to, or {@code cifar-100-binary.tar.gz} directly.
 */
public final class Cifar100Dataset extends CifarDataset {

    private final boolean coarse;

    private Cifar100Dataset(Builder builder) {
        super(builder);
        this.coarse = builder.coarse;
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
        return List.of(getUsage() == Usage.TRAIN ? "train.bin" : "test.bin");
    }

    @Override
    protected int labelBytes() {
        return 2;
    }

    @Override
    protected int labelIndex() {
        return coarse ? 0 : 1;
    }

    @Override
    protected String namesFile() {
        return coarse ? "coarse_label_names.txt" : "fine_label_names.txt";
    }

    @Override
    protected List<String> defaultClassNames() {
        return coarse ? DataSources.numbered(20) : getSource().classNames();
    }

    /** Builds a {@link Cifar100Dataset}. */
    public static final class Builder extends FileBuilder<Builder> {

        boolean coarse;

        Builder() {
            super(DataSources.CIFAR100);
        }

        /**
         * Uses the 20 coarse (superclass) labels instead of the 100 fine ones.
         *
         * @param coarse true for coarse labels
         * @return this builder
         */
        public Builder optCoarseLabels(boolean coarse) {
            this.coarse = coarse;
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
        public Cifar100Dataset build() {
            return new Cifar100Dataset(this);
        }
    }
}
