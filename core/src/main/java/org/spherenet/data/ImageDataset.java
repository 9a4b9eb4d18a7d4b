package org.spherenet.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.dataset.Sampler;
import ai.djl.training.dataset.SequenceSampler;
import ai.djl.util.Progress;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;

/**
 * Base of the image classification datasets: a sample is a float32 image of shape (C, H, W) after
 * augmentation and normalisation, and a float32 scalar label (the class index), as in DJL's own
 * classification datasets. Batches are (B, C, H, W) and (B).
 *
 * <p><b>Randomness.</b> The augmentation (and any random crop of the reader) of sample i in epoch
 * e draws from {@link Seeds#forSample}(seed, e, i), and shuffled sampling ({@code
 * setSampling(batch, true)}) uses an {@link EpochShuffleSampler} with the same seed, so a run is
 * reproduced batch for batch, also when resumed at epoch e. Call {@link #setEpoch(int)} before
 * {@code getData} for each epoch, and not while an epoch's batches are still being read: batches
 * prepared ahead on a background thread read the epoch when they are built.
 *
 * <p><b>Speed.</b> {@code getData} builds each batch directly into one float array (one table
 * look-up per pixel); pass an {@code ExecutorService} to {@code getData(manager, executor)} to
 * prepare {@code optPrefetchNumber} batches ahead on background threads. The data batchifier is
 * not used for images, which are always stacked.
 *
 * <p><b>Subsets.</b> {@code optFraction(f)} keeps the first {@code round(f * n_c)} samples of each
 * class c (file order) of the split read, never touching the other split; DJL's {@code optLimit(n)}
 * then keeps the first n of those.
 */
public abstract class ImageDataset extends RandomAccessDataset {

    private final Augmentation augmentation;
    private final Normalization normalization;
    private final long seed;
    private final double fraction;
    private final Usage usage;
    private volatile int epoch;
    private int[] selection;

    /**
     * Creates the dataset from its builder.
     *
     * @param builder the builder
     */
    protected ImageDataset(ImageBuilder<?> builder) {
        super(builder);
        this.augmentation = builder.augmentation;
        this.normalization = builder.normalization;
        this.seed = builder.seed;
        this.fraction = builder.fraction;
        this.usage = builder.usage;
    }

    /**
     * Reads the dataset's index (or all of it) into memory. Called once, by {@link #prepare}.
     *
     * @throws IOException if a file cannot be read
     */
    protected abstract void load() throws IOException;

    /**
     * Returns the label of every item, in file order (after {@link #load}).
     *
     * @return the labels
     */
    protected abstract int[] itemLabels();

    /**
     * Returns a private copy of item {@code item} as stored, before augmentation.
     *
     * @param item the item's index in file order
     * @param random the sample's random stream, for readers that crop at random (drawn before the
     *     augmentation's draws)
     * @return the uint8 image
     * @throws IOException if the image cannot be read
     */
    protected abstract ByteImage itemImage(int item, SplittableRandom random) throws IOException;

    /**
     * Returns the class names; a label is an index into this list.
     *
     * @return the class names
     */
    public abstract List<String> getClassNames();

    /**
     * Identifies the images held out for evaluation when the dataset splits them off its own
     * images ({@link ImageFolderDataset}), so that a resumed or re-evaluated run can check they
     * are still the same; null when the test split is fixed files.
     *
     * @return the description, or null
     */
    public String heldOutDescription() {
        return null;
    }

    /**
     * Returns the usage (train or test split) this dataset was built for.
     *
     * @return the usage
     */
    public Usage getUsage() {
        return usage;
    }

    /**
     * Sets the epoch that seeds augmentation and shuffling (see the class comment).
     *
     * @param epoch the epoch, from 0
     */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    /**
     * Returns the epoch that seeds augmentation and shuffling.
     *
     * @return the epoch
     */
    public int getEpoch() {
        return epoch;
    }

    /**
     * Returns the normalisation applied to every pixel.
     *
     * @return the normalisation
     */
    public Normalization getNormalization() {
        return normalization;
    }

    /**
     * Reads the data (once); the same as {@code prepare(null)}.
     *
     * @throws IOException if a file cannot be read
     * @throws DataException if the data is missing or malformed
     */
    @Override
    public void prepare() throws IOException {
        prepare(null);
    }

    /** {@inheritDoc} */
    @Override
    public synchronized void prepare(Progress progress) throws IOException {
        if (selection != null) {
            return;
        }
        load();
        selection = Subsets.firstFractionPerClass(itemLabels(), getClassNames().size(), fraction);
    }

    /**
     * Returns the label of sample {@code index}.
     *
     * @param index the sample index, 0..size()-1
     * @return the class index
     */
    public int label(long index) {
        return itemLabels()[item(index)];
    }

    /**
     * Returns sample {@code index} as uint8 after augmentation, for the given epoch.
     *
     * @param index the sample index, 0..size()-1
     * @param epoch the epoch that seeds the augmentation
     * @return the image
     * @throws IOException if the image cannot be read
     */
    public ByteImage sample(long index, int epoch) throws IOException {
        int item = item(index);
        SplittableRandom random = Seeds.forSample(seed, epoch, item);
        ByteImage image = itemImage(item, random);
        return augmentation == null ? image : augmentation.apply(image, random);
    }

    /**
     * Returns sample {@code index} for the current epoch: data is the float32 image (C, H, W),
     * label the float32 scalar class index.
     */
    @Override
    public Record get(NDManager manager, long index) throws IOException {
        ByteImage image = sample(index, epoch);
        float[] data = new float[image.size()];
        normalization.write(image, data, 0);
        Shape shape = new Shape(image.channels(), image.height(), image.width());
        return new Record(
                new NDList(manager.create(data, shape)),
                new NDList(manager.create((float) label(index))));
    }

    /** {@inheritDoc} */
    @Override
    public Iterable<Batch> getData(NDManager manager, Sampler sampler, ExecutorService executor)
            throws IOException {
        prepare(null);
        return new ImageBatchIterable(
                this,
                manager,
                sampler,
                dataBatchifier,
                labelBatchifier,
                pipeline,
                targetPipeline,
                executor,
                prefetchNumber,
                device);
    }

    /** {@inheritDoc} */
    @Override
    protected long availableSize() {
        if (selection == null) {
            throw new IllegalStateException("call prepare() before using the dataset");
        }
        return selection.length;
    }

    /**
     * Returns the item (the index in file order) of sample {@code index}.
     *
     * @param index the sample index, 0..size()-1
     * @return the item
     */
    protected final int item(long index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (size() - 1));
        }
        return selection[(int) index];
    }

    /**
     * The builder options shared by the image datasets.
     *
     * @param <T> the concrete builder
     */
    public abstract static class ImageBuilder<T extends ImageBuilder<T>> extends BaseBuilder<T> {

        /**
         * Builds the dataset; call {@code prepare()} to read it.
         *
         * @return the dataset
         */
        public abstract ImageDataset build();


        Augmentation augmentation;
        Normalization normalization = Normalization.authors();
        long seed;
        double fraction = 1;
        Usage usage = Usage.TRAIN;
        private int batchSize;
        private boolean shuffle;
        private boolean dropLast;

        /**
         * Sets the split to read (default TRAIN; VALIDATION reads the test split).
         *
         * @param usage the usage
         * @return this builder
         */
        public T optUsage(Usage usage) {
            this.usage = usage;
            return self();
        }

        /**
         * Sets the augmentation applied to every sample (default none; set it on the training set
         * only).
         *
         * @param augmentation the augmentation, or null for none
         * @return this builder
         */
        public T optAugmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return self();
        }

        /**
         * Sets the pixel normalisation (default {@link Normalization#authors()}).
         *
         * @param normalization the normalisation
         * @return this builder
         */
        public T optNormalization(Normalization normalization) {
            this.normalization = normalization;
            return self();
        }

        /**
         * Sets the seed of augmentation and shuffling (default 0).
         *
         * @param seed the seed
         * @return this builder
         */
        public T optSeed(long seed) {
            this.seed = seed;
            return self();
        }

        /**
         * Keeps the first {@code round(fraction * n_c)} samples of every class c, in file order.
         *
         * @param fraction the fraction, in (0, 1]
         * @return this builder
         */
        public T optFraction(double fraction) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
            }
            this.fraction = fraction;
            return self();
        }

        /**
         * Sets batch sampling; shuffled sampling uses an {@link EpochShuffleSampler} with this
         * builder's seed (whenever {@link #optSeed} is called), not DJL's unseeded {@code
         * RandomSampler}.
         */
        @Override
        public T setSampling(int batchSize, boolean random, boolean dropLast) {
            this.batchSize = batchSize;
            this.shuffle = random;
            this.dropLast = dropLast;
            this.sampler = null;
            return self();
        }

        /** {@inheritDoc} */
        @Override
        public Sampler getSampler() {
            if (sampler == null && batchSize > 0) {
                Sampler.SubSampler order =
                        shuffle ? new EpochShuffleSampler(seed) : new SequenceSampler();
                return new BatchSampler(order, batchSize, dropLast);
            }
            return super.getSampler();
        }
    }
}
