package org.spherenet.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images in one sub-folder per class ({@code root/<class>/<image>}), as torchvision's {@code
 * ImageFolder}: the class index is the position of the folder name in the sorted list of
 * sub-folders, files are taken in sorted order. Samples are RGB (3, size, size); grey images are
 * replicated to three channels.
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
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final Path root;
    private final int size;
    private final int resize;
    private final boolean skipUnreadable;
    private final long maxPixels;
    /** Files that failed to decode, with the reason. */
    private final Map<Path, String> unreadable = new ConcurrentHashMap<>();
    private List<String> classNames;
    private List<Path> files;
    private int[] labels;

    private ImageFolderDataset(Builder builder) {
        super(builder);
        this.root = builder.root;
        this.size = builder.size;
        this.resize = builder.resize > 0 ? builder.resize : Math.round(builder.size * 256f / 224f);
        this.skipUnreadable = builder.skipUnreadable;
        this.maxPixels = builder.maxPixels;
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
     * Returns the image files in index order (after {@code prepare()}).
     *
     * @return the files
     */
    public List<Path> getFiles() {
        return files;
    }

    @Override
    public List<String> getClassNames() {
        return classNames;
    }

    @Override
    protected int[] itemLabels() {
        return labels;
    }

    @Override
    protected void load() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new DataException(root, "missing folder");
        }
        List<Path> classDirs;
        try (Stream<Path> list = Files.list(root)) {
            classDirs =
                    list.filter(Files::isDirectory)
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted()
                            .collect(Collectors.toList());
        }
        if (classDirs.isEmpty()) {
            throw new DataException(root, "no class sub-folders");
        }
        classNames = new ArrayList<>();
        files = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images;
            try (Stream<Path> list = Files.list(dir)) {
                images =
                        list.filter(ImageFolderDataset::isImageFile)
                                .sorted()
                                .collect(Collectors.toList());
            }
            if (images.isEmpty()) {
                throw new DataException(dir, "empty class folder: no " + EXTENSIONS + " images");
            }
            for (Path image : images) {
                files.add(image);
                labelList.add(classNames.size());
            }
            classNames.add(dir.getFileName().toString());
        }
        classNames = List.copyOf(classNames);
        files = List.copyOf(files);
        labels = labelList.stream().mapToInt(Integer::intValue).toArray();
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
            i = labels[(i + 1) % labels.length] == label ? (i + 1) % labels.length : firstOf(label);
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

    private int firstOf(int label) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == label) {
                return i;
            }
        }
        throw new AssertionError(label);
    }

    private static boolean isImageFile(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".")
                && dot > 0
                && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))
                && Files.isRegularFile(path);
    }

    /** Builds an {@link ImageFolderDataset}. */
    public static final class Builder extends ImageBuilder<Builder> {

        Path root;
        int size = 224;
        int resize;
        boolean skipUnreadable;
        long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;

        /**
         * Sets the folder holding one sub-folder per class (required).
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
