package org.spherenet.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images in one sub-folder per class, as torchvision's {@code ImageFolder}: the class index is the
 * position of the folder name in the sorted list of sub-folders, files are taken in sorted order.
 * Samples are RGB (3, size, size); grey images are replicated to three channels.
 *
 * <p><b>Training and held-out images never mix.</b> The TRAIN usage reads the training part, TEST
 * and VALIDATION the held-out part, found by {@link ImageFolderLayout}: {@code root/train/} with
 * {@code root/val/} (or {@code root/test/}) when present; otherwise {@code optValFraction} of each
 * class of {@code root/<class>/} (or of {@code root/train/<class>/}) is held out, stratified and
 * chosen by {@code optSeed} ({@link Subsets#heldOutPerClass}). {@code optFraction} then subsets the
 * part read. The held-out part is read class by class in turn (the first image of each class, then
 * the second, ...), so that its first N images are stratified. {@link #heldOutDescription()}
 * identifies the held-out images, so that a run can check it is evaluated on the same ones when
 * resumed. {@code optAllImages(true)} reads every image of {@code root/<class>/} whatever the usage
 * (a folder kept apart for evaluation).
 *
 * <p>Images ({@code .png .jpg .jpeg .bmp .gif}, format recognised from the content by {@code
 * javax.imageio}) are decoded when a sample is requested, so the folder may be larger than memory.
 * TEST/VALIDATION: resize so the shorter side is {@code resize} (bilinear), then crop the centre
 * {@code size x size}. TRAIN: random-resized crop (torchvision's: area 8%..100%, aspect 3/4..4/3),
 * resized to {@code size x size}.
 *
 * <p>Unreadable images (not an image, corrupt, or with more pixels than {@code optMaxPixels}, checked
 * before decoding) fail with a {@link DataException} by default; with {@code
 * optSkipUnreadable(true)} an unreadable file is logged once and replaced by the next readable
 * file of the same class, so indices and labels stay stable.
 */
public final class ImageFolderDataset extends ImageDataset {

    private static final Logger logger = LoggerFactory.getLogger(ImageFolderDataset.class);

    /** The share of each class held out when the folder has no {@code val/} or {@code test/}. */
    public static final double DEFAULT_VAL_FRACTION = 0.1;

    private final Path root;
    private final int size;
    private final int resize;
    private final boolean skipUnreadable;
    private final long maxPixels;
    private final double valFraction;
    private final boolean allImages;
    private final long splitSeed;
    /** Files that failed to decode, with the reason. */
    private final Map<Path, String> unreadable = new ConcurrentHashMap<>();
    private List<String> classNames;
    private List<Path> files;
    private int[] labels;
    private String heldOutDescription;

    private ImageFolderDataset(Builder builder) {
        super(builder);
        this.root = builder.root;
        this.size = builder.size;
        this.resize = builder.resize > 0 ? builder.resize : Math.round(builder.size * 256f / 224f);
        this.skipUnreadable = builder.skipUnreadable;
        this.maxPixels = builder.maxPixels;
        this.valFraction = builder.valFraction;
        this.allImages = builder.allImages;
        this.splitSeed = builder.seed;
        if (resize < size) {
            throw new IllegalArgumentException(
                    "resize " + resize + " is smaller than size " + size);
        }
    }

    /**
     * Returns a builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the image file of every sample, in index order (after {@code prepare()}).
     *
     * @return the files
     */
    public List<Path> getFiles() {
        return LongStream.range(0, size())
                .mapToObj(i -> files.get(item(i)))
                .collect(Collectors.toUnmodifiableList());
    }

    @Override
    public List<String> getClassNames() {
        return classNames;
    }

    @Override
    protected int[] itemLabels() {
        return labels;
    }

    /**
     * Describes the held-out images: where they come from, how many, and a SHA-256 of their paths
     * relative to the root (after {@code prepare()}; null with {@code optAllImages(true)}).
     */
    @Override
    public String heldOutDescription() {
        return heldOutDescription;
    }

    @Override
    protected void load() throws IOException {
        ClassFolders part;
        if (allImages) {
            part = ClassFolders.read(root, " (expected <class>/<images>)");
        } else {
            ImageFolderLayout layout = ImageFolderLayout.of(root);
            ClassFolders train = ClassFolders.read(layout.train(), ImageFolderLayout.EXPECTED);
            ClassFolders heldOut;
            String source;
            if (layout.heldOut() != null) {
                heldOut = ClassFolders.read(layout.heldOut(), ImageFolderLayout.EXPECTED);
                requireSameClasses(layout, train, heldOut);
                source = root.relativize(layout.heldOut()) + "/";
            } else {
                boolean[] out = Subsets.heldOutPerClass(
                        train.labels(), train.classNames().size(), valFraction, splitSeed);
                heldOut = train.select(out);
                for (int i = 0; i < out.length; i++) {
                    out[i] = !out[i];
                }
                train = train.select(out);
                source = valFraction + " of each class"
                        + (layout.train().equals(root) ? "" : " of train/")
                        + " held out by seed " + splitSeed;
            }
            boolean evaluating = getUsage() != Usage.TRAIN;
            if (evaluating) {
                checkHeldOut(layout, train, heldOut);
            }
            // evaluated class by class in turn, so that --eval-limit's first N images are stratified
            part = evaluating ? heldOut.interleaved() : train;
            heldOutDescription = source + " (" + heldOut.files().size() + " images, sha256 "
                    + pathDigest(heldOut.files()) + ")";
        }
        classNames = part.classNames();
        files = part.files();
        labels = part.labels();
    }

    private static void requireSameClasses(
            ImageFolderLayout layout, ClassFolders train, ClassFolders heldOut) {
        if (!train.classNames().equals(heldOut.classNames())) {
            List<String> missing = new ArrayList<>(train.classNames());
            missing.removeAll(heldOut.classNames());
            List<String> extra = new ArrayList<>(heldOut.classNames());
            extra.removeAll(train.classNames());
            throw new DataException(
                    layout.heldOut(),
                    "its class folders differ from those of train/ (missing here: "
                            + (missing.isEmpty() ? "none" : String.join(", ", missing))
                            + "; not in train/: "
                            + (extra.isEmpty() ? "none" : String.join(", ", extra))
                            + ")");
        }
    }

    /** Refuses an empty held-out part; warns about classes it lacks. */
    private void checkHeldOut(ImageFolderLayout layout, ClassFolders train, ClassFolders heldOut) {
        if (heldOut.files().isEmpty()) {
            throw new DataException(
                    layout.train(),
                    "too few images to hold any out for evaluation: every class folder has one"
                            + " image (a class needs 2 to be in both parts)");
        }
        if (layout.heldOut() == null) {
            boolean[] present = new boolean[train.classNames().size()];
            for (int label : heldOut.labels()) {
                present[label] = true;
            }
            for (int c = 0; c < present.length; c++) {
                if (!present[c]) {
                    logger.warn("{}: a single image, trained on; none of this class is held out"
                            + " for evaluation", layout.train().resolve(train.classNames().get(c)));
                }
            }
        }
    }

    /** The first 16 hex digits of the SHA-256 of the paths relative to the root, one a line. */
    private String pathDigest(List<Path> paths) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path path : paths) {
                String relative = root.relativize(path).toString().replace('\\', '/');
                sha.update((relative + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    protected ByteImage itemImage(int item, SplittableRandom random) throws IOException {
        BufferedImage image = decode(item);
        BufferedImage out;
        try {
            out = getUsage() == Usage.TRAIN
                    ? ImageCrops.randomResizedCrop(image, size, random)
                    : ImageCrops.resizeCentreCrop(image, resize, size);
        } catch (IllegalArgumentException e) {
            throw new DataException(files.get(item), e.getMessage());
        }
        return ImageCrops.toChw(out);
    }

    /** Decodes file {@code item}, or in skip mode the next readable file of its class. */
    private BufferedImage decode(int item) throws IOException {
        int label = labels[item];
        for (int i = item; ; ) {
            BufferedImage image = tryDecode(files.get(i));
            if (image != null) {
                return image;
            }
            if (!skipUnreadable) {
                throw new DataException(files.get(i), unreadable.get(files.get(i)));
            }
            i = nextOfClass(i, label);
            if (i == item) {
                throw new DataException(
                        files.get(item).getParent(), "no readable image in class folder");
            }
        }
    }

    private BufferedImage tryDecode(Path file) {
        if (unreadable.containsKey(file)) {
            return null;
        }
        try {
            return ImageDecoder.decode(file, maxPixels);
        } catch (DataException e) {
            logger.debug("cannot decode {}", file, e);
            if (unreadable.putIfAbsent(file, e.getReason()) == null && skipUnreadable) {
                logger.warn("skipping {}", e.getMessage());
            }
            return null;
        }
    }

    /** The next item of class {@code label} after {@code item}, wrapping around. */
    private int nextOfClass(int item, int label) {
        for (int j = (item + 1) % labels.length; ; j = (j + 1) % labels.length) {
            if (labels[j] == label) {
                return j;
            }
        }
    }

    /** Builds an {@link ImageFolderDataset}. */
    public static final class Builder extends ImageBuilder<Builder> {

        Path root;
        int size = 224;
        int resize;
        boolean skipUnreadable;
        long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;
        double valFraction = DEFAULT_VAL_FRACTION;
        boolean allImages;

        /**
         * Sets the folder of images (required): {@code root/train/<class>/} with {@code
         * root/val/<class>/} (or {@code root/test/<class>/}), or {@code root/<class>/} to split.
         *
         * @param root the folder
         * @return this builder
         */
        public Builder setRoot(Path root) {
            this.root = root;
            return this;
        }

        /**
         * Sets the side of the square samples (default 224).
         *
         * @param size the side in pixels
         * @return this builder
         */
        public Builder optImageSize(int size) {
            this.size = size;
            return this;
        }

        /**
         * Sets the shorter side after resizing, before the centre crop, for evaluation (default
         * {@code round(size * 256 / 224)}, 256 for 224).
         *
         * @param resize the side in pixels, at least the image size
         * @return this builder
         */
        public Builder optResize(int resize) {
            this.resize = resize;
            return this;
        }

        /**
         * Replaces unreadable images by the next readable one of their class, with a warning,
         * instead of failing (default false).
         *
         * @param skip whether to skip
         * @return this builder
         */
        public Builder optSkipUnreadable(boolean skip) {
            this.skipUnreadable = skip;
            return this;
        }

        /**
         * Sets the most pixels (width x height) an image may have; larger ones are refused as
         * unreadable before they are decoded (default {@link ImageDecoder#DEFAULT_MAX_PIXELS}).
         *
         * @param maxPixels the limit
         * @return this builder
         */
        public Builder optMaxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        /**
         * Sets the share of each class held out for evaluation when the folder has no {@code
         * val/} or {@code test/} part (default {@value #DEFAULT_VAL_FRACTION}); the images are
         * chosen by the seed ({@code optSeed}).
         *
         * @param fraction the share, in (0, 1)
         * @return this builder
         */
        public Builder optValFraction(double fraction) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException(
                        "validation fraction must be in (0, 1), got " + fraction);
            }
            this.valFraction = fraction;
            return this;
        }

        /**
         * Reads every image of {@code root/<class>/} whatever the usage, with no held-out part
         * (default false): for a folder kept apart for evaluation only.
         *
         * @param all whether to read every image
         * @return this builder
         */
        public Builder optAllImages(boolean all) {
            this.allImages = all;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the dataset; call {@code prepare()} to list the files.
         *
         * @return the dataset
         */
        public ImageFolderDataset build() {
            if (root == null) {
                throw new IllegalArgumentException("setRoot(folder) is required");
            }
            if (size <= 0) {
                throw new IllegalArgumentException("image size must be positive, got " + size);
            }
            return new ImageFolderDataset(this);
        }
    }
}
