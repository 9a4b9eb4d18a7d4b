package org.spherenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.djl.training.dataset.Dataset.Usage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded fuzzing of every reader: valid IDX, CIFAR, image and archive files, damaged by {@link
 * Mutations} (bit flips, cut-offs, garbage, extreme size fields), {@value #CASES} cases per reader.
 * The only outcomes allowed are the dataset the damaged files describe (where an independent
 * reference decoder below can tell) or a one-line {@link DataException} naming a file; never
 * another exception, more than {@value #TIMEOUT_SECONDS} s, or more than {@value #MAX_ALLOCATED_MB}
 * MB allocated (the valid files are a few KB: a size field that claims 10^9 images must be refused,
 * not believed). A failing case is named by its seed.
 */
class ReaderFuzzTest {

    static final int CASES = 200;
    static final int TIMEOUT_SECONDS = 20;
    static final int MAX_ALLOCATED_MB = 48;

    private static final String SIZE_FIELDS = "size fields";

    /** Per reader: {cases accepted, cases refused, most bytes allocated by one case}. */
    private static final Map<String, long[]> STATS = new java.util.concurrent.ConcurrentHashMap<>();

    @TempDir Path dir;

    /**
     * The mutations must exercise both outcomes, or the test proves little: each reader that ran
     * saw valid and refused files.
     */
    @AfterAll
    static void everyReaderAcceptedSomeCasesAndRefusedOthers() {
        STATS.forEach((reader, s) -> System.out.printf(java.util.Locale.ROOT,
                "%s: %d read, %d refused, at most %.1f MB allocated%n", reader, s[0], s[1], s[2] / 1e6));
        STATS.forEach((reader, s) -> {
            assertThat(s[0] > 0 || reader.equals(SIZE_FIELDS)).as(reader + " read some cases").isTrue();
            assertThat(s[1]).as(reader + " refused some cases").isPositive();
        });
    }

    static LongStream seeds() {
        return LongStream.range(0, CASES);
    }

    /**
     * Runs {@code read} on another thread with a time limit and measures what it allocates;
     * returns its result, or null if it refused the data with a proper {@link DataException}.
     */
    private <T> T readOrRefuse(String reader, Callable<T> read) {
        Object outcome = assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_SECONDS), () -> {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            Object result;
            try {
                result = read.call();
            } catch (DataException e) {
                assertThat(e.getMessage()).as("one line naming a file").doesNotContain("\n")
                        .startsWith(dir.toString());
                result = e;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated / (1 << 20)).as("MB allocated").isLessThanOrEqualTo(MAX_ALLOCATED_MB);
            long[] stats = STATS.computeIfAbsent(reader, r -> new long[3]);
            synchronized (stats) {
                stats[result instanceof DataException ? 1 : 0]++;
                stats[2] = Math.max(stats[2], allocated);
            }
            return result;
        });
        @SuppressWarnings("unchecked")
        T result = outcome instanceof DataException ? null : (T) outcome;
        return result;
    }

    // ---- IDX ------------------------------------------------------------------------------

    private static final String[] IDX_FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    };

    private static Map<String, byte[]> validIdx() throws IOException {
        byte[] trainPixels = Mutations.randomBytes(new SplittableRandom(1), 4 * 784);
        byte[] testPixels = Mutations.randomBytes(new SplittableRandom(2), 3 * 784);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(IDX_FILES[0], TestFiles.idxImages(4, 28, 28, trainPixels));
        files.put(IDX_FILES[1], TestFiles.idxLabels(3, 1, 4, 1));
        files.put(IDX_FILES[2], TestFiles.gzip(TestFiles.idxImages(3, 28, 28, testPixels)));
        files.put(IDX_FILES[3], TestFiles.gzip(TestFiles.idxLabels(9, 2, 6)));
        return files;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void idx(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, byte[]> files = validIdx();
        String target = IDX_FILES[random.nextInt(4)];
        byte[] bytes = files.get(target);
        if (target.endsWith(".gz") && random.nextBoolean()) {
            // damage the content, not the compression, so the damage reaches the IDX parser
            bytes = TestFiles.gzip(Mutations.mutate(gunzip(bytes), random));
        } else {
            bytes = Mutations.mutate(bytes, random);
        }
        files.put(target, bytes);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
        Usage usage = target.startsWith("train") ? Usage.TRAIN : Usage.TEST;
        String prefix = usage == Usage.TRAIN ? "train" : "t10k";
        ImageSet expected = referenceIdx(
                files.get(prefix + (usage == Usage.TRAIN ? "-images-idx3-ubyte" : "-images-idx3-ubyte.gz")),
                files.get(prefix + (usage == Usage.TRAIN ? "-labels-idx1-ubyte" : "-labels-idx1-ubyte.gz")));
        ImageSet actual = readOrRefuse("IDX", () -> {
            IdxDataset dataset = IdxDataset.builder().optDataDir(dir)
                    .optLocator(TestFiles.unverified(dir.resolve("home"))).optUsage(usage)
                    .setSampling(1, false).build();
            dataset.prepare();
            return dataset.getImageSet();
        });
        assertSameImages(actual, expected);
    }

    /** An independent IDX decoder: the images the files describe, or null if they are invalid. */
    private static ImageSet referenceIdx(byte[] imagesFile, byte[] labelsFile) {
        byte[] images = decompressed(imagesFile);
        byte[] labels = decompressed(labelsFile);
        if (images == null || labels == null || images.length < 16 || labels.length < 8) {
            return null;
        }
        ByteBuffer im = ByteBuffer.wrap(images);
        ByteBuffer lb = ByteBuffer.wrap(labels);
        int count = im.getInt(4);
        if (im.getInt(0) != 0x803 || im.getInt(8) != 28 || im.getInt(12) != 28 || count < 0
                || images.length != 16 + 784L * count) {
            return null;
        }
        if (lb.getInt(0) != 0x801 || lb.getInt(4) != count || labels.length != 8 + (long) count) {
            return null;
        }
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = labels[8 + i] & 0xFF;
            if (values[i] >= 10) {
                return null;
            }
        }
        return new ImageSet(Arrays.copyOfRange(images, 16, images.length), values, 1, 28, 28,
                DataSources.FASHION_MNIST.classNames());
    }

    /** The bytes, gunzipped if they start with gzip's magic number; null if that fails. */
    private static byte[] decompressed(byte[] file) {
        if (file.length < 2 || (file[0] & 0xFF) != 0x1f || (file[1] & 0xFF) != 0x8b) {
            return file;
        }
        try {
            return gunzip(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    // ---- CIFAR-10 / CIFAR-100, folder and archive -------------------------------------------

    private static Map<String, byte[]> validCifar10() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int b = 1; b <= 5; b++) {
            files.put("data_batch_" + b + ".bin", TestFiles.cifarRecords(b * 2, new int[][] {{b}, {9 - b}}));
        }
        files.put("test_batch.bin", TestFiles.cifarRecords(50, new int[][] {{7}, {2}, {0}}));
        return files;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void cifar10Folder(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, byte[]> files = validCifar10();
        List<String> names = List.copyOf(files.keySet());
        String target = names.get(random.nextInt(names.size()));
        files.put(target, Mutations.mutate(files.get(target), random));
        Path folder = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(folder.resolve(f.getKey()), f.getValue());
        }
        Usage usage = target.startsWith("test") ? Usage.TEST : Usage.TRAIN;
        List<String> split = usage == Usage.TEST ? List.of("test_batch.bin")
                : names.stream().filter(n -> n.startsWith("data")).toList();
        ImageSet expected = referenceCifar(split.stream().map(files::get).toList(), 1, 0, 10);
        ImageSet actual = readOrRefuse("CIFAR-10 folder", () -> prepared(Cifar10Dataset.builder().optUsage(usage)));
        assertSameImages(actual, expected);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void cifar100Folder(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] valid = TestFiles.cifarRecords(0, new int[][] {{3, 17}, {19, 99}, {0, 0}});
        byte[] bytes = Mutations.mutate(valid, random);
        Path folder = Files.createDirectories(dir.resolve("cifar-100-binary"));
        Files.write(folder.resolve("train.bin"), bytes);
        Files.write(folder.resolve("test.bin"), valid);
        ImageSet expected = referenceCifar(List.of(bytes), 2, 1, 100);
        ImageSet actual = readOrRefuse("CIFAR-100 folder", () -> prepared(Cifar100Dataset.builder().optUsage(Usage.TRAIN)));
        assertSameImages(actual, expected);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void cifar10Archive(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, byte[]> members = new LinkedHashMap<>();
        validCifar10().forEach((name, bytes) -> members.put("cifar-10-batches-bin/" + name, bytes));
        members.put("cifar-10-batches-bin/batches.meta.txt", String.join("\n",
                DataSources.CIFAR10.classNames()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path archive = dir.resolve("cifar-10-binary.tar.gz");
        TestFiles.tarGz(archive, members);
        byte[] gz = Files.readAllBytes(archive);
        // damage the tar inside (headers, sizes, data) or the compressed stream around it
        Files.write(archive, random.nextBoolean()
                ? TestFiles.gzip(Mutations.mutate(gunzip(gz), random))
                : Mutations.mutate(gz, random));
        Usage usage = random.nextBoolean() ? Usage.TRAIN : Usage.TEST;
        ImageSet actual = readOrRefuse("CIFAR-10 archive", () -> prepared(Cifar10Dataset.builder().optUsage(usage)));
        if (actual != null) {
            assertThat(actual.size()).isEqualTo(usage == Usage.TRAIN ? 10 : 3);
        }
    }

    private ImageSet prepared(InMemoryImageDataset.FileBuilder<?> builder) throws IOException {
        builder.optDataDir(dir).optLocator(TestFiles.unverified(dir.resolve("home")));
        InMemoryImageDataset dataset = builder instanceof Cifar10Dataset.Builder b
                ? b.setSampling(1, false).build()
                : ((Cifar100Dataset.Builder) builder).setSampling(1, false).build();
        dataset.prepare();
        return dataset.getImageSet();
    }

    /** An independent CIFAR decoder: the records of the files, or null if they are invalid. */
    private static ImageSet referenceCifar(List<byte[]> files, int labelBytes, int labelIndex, int classes) {
        int recordSize = labelBytes + 3072;
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        int[] labels = new int[0];
        for (byte[] file : files) {
            if (file.length % recordSize != 0) {
                return null;
            }
            for (int offset = 0; offset < file.length; offset += recordSize) {
                int label = file[offset + labelIndex] & 0xFF;
                if (label >= classes) {
                    return null;
                }
                labels = Arrays.copyOf(labels, labels.length + 1);
                labels[labels.length - 1] = label;
                pixels.write(file, offset + labelBytes, 3072);
            }
        }
        return new ImageSet(pixels.toByteArray(), labels, 3, 32, 32, DataSources.numbered(classes));
    }

    private static void assertSameImages(ImageSet actual, ImageSet expected) {
        if (expected == null) {
            assertThat(actual).as("invalid files must be refused").isNull();
            return;
        }
        if (actual == null) {
            fail("valid files were refused");
        }
        assertThat(actual.labels()).containsExactly(expected.labels());
        assertThat(actual.pixels()).isEqualTo(expected.pixels());
    }

    // ---- images --------------------------------------------------------------------------

    private static final String[] FORMATS = {"png", "jpg", "bmp", "gif"};

    private static byte[] encoded(String format, int w, int h, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void imageFolder(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        String format = FORMATS[random.nextInt(FORMATS.length)];
        byte[] valid = encoded(format, 12 + random.nextInt(20), 12 + random.nextInt(20), seed);
        Path root = dir.resolve("images");
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        Files.write(root.resolve("a/good.png"), encoded("png", 16, 16, -1));
        Files.write(root.resolve("b/damaged." + format), Mutations.mutate(valid, random));
        Usage usage = random.nextBoolean() ? Usage.TRAIN : Usage.TEST;
        ByteImage sample = readOrRefuse("image folder", () -> {
            ImageFolderDataset dataset = ImageFolderDataset.builder().setRoot(root).optUsage(usage).optAllImages(true)
                    .optImageSize(8).optMaxPixels(1 << 20).setSampling(1, false).build();
            dataset.prepare();
            assertThat(dataset.sample(0, 0).size()).isEqualTo(3 * 8 * 8);
            return dataset.sample(1, 0);
        });
        if (sample != null) {
            assertThat(sample.channels()).isEqualTo(3);
            assertThat(sample.height()).isEqualTo(8);
            assertThat(sample.width()).isEqualTo(8);
        }
    }

    // ---- archive extraction --------------------------------------------------------------

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void tarGzExtract(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("top/a.bin", Mutations.randomBytes(random, 700));
        members.put("top/sub/b.txt", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        members.put("top/c.bin", Mutations.randomBytes(random, 3000));
        Path archive = dir.resolve("archive.tar.gz");
        TestFiles.tarGz(archive, members);
        byte[] gz = Files.readAllBytes(archive);
        Files.write(archive, random.nextBoolean()
                ? TestFiles.gzip(Mutations.mutate(gunzip(gz), random))
                : Mutations.mutate(gz, random));
        Path target = dir.resolve("out");
        readOrRefuse("tar.gz extraction", () -> {
            TarGz.extract(archive, target, 1 << 20);
            return Boolean.TRUE;
        });
        try (Stream<Path> all = Files.list(dir)) {
            assertThat(all.map(p -> p.getFileName().toString()))
                    .as("nothing written outside the target").isSubsetOf("archive.tar.gz", "out");
        }
    }

    // ---- size fields claiming the impossible ---------------------------------------------

    /**
     * Headers that claim a billion images, 10^10 pixels or a 2 GB archive member, in files of a
     * few KB: refused (or found truncated) without reserving the claimed memory.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "idx images raw", "idx images gz", "idx labels gz", "png", "bmp", "gif", "jpg", "tar member"})
    void hugeSizeFieldsAreRefusedWithoutReservingTheMemory(String kind) throws IOException {
        Callable<Object> read;
        if (kind.startsWith("idx")) {
            Map<String, byte[]> files = validIdx();
            if (kind.equals("idx images raw")) {
                files.put(IDX_FILES[0], withInt(files.get(IDX_FILES[0]), 4, 1_000_000_000, java.nio.ByteOrder.BIG_ENDIAN));
            } else if (kind.equals("idx images gz")) {
                files.put(IDX_FILES[2], TestFiles.gzip(withInt(gunzip(files.get(IDX_FILES[2])), 4, 1_000_000_000,
                        java.nio.ByteOrder.BIG_ENDIAN)));
            } else {
                files.put(IDX_FILES[3], TestFiles.gzip(withInt(gunzip(files.get(IDX_FILES[3])), 4, 1_000_000_000,
                        java.nio.ByteOrder.BIG_ENDIAN)));
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(dir.resolve(f.getKey()), f.getValue());
            }
            Usage usage = kind.endsWith("raw") ? Usage.TRAIN : Usage.TEST;
            read = () -> {
                IdxDataset dataset = IdxDataset.builder().optDataDir(dir)
                        .optLocator(TestFiles.unverified(dir.resolve("home"))).optUsage(usage)
                        .setSampling(1, false).build();
                dataset.prepare();
                return dataset;
            };
        } else if (kind.equals("tar member")) {
            Map<String, byte[]> members = new LinkedHashMap<>();
            validCifar10().forEach((name, bytes) -> members.put("cifar-10-batches-bin/" + name, bytes));
            Path archive = dir.resolve("cifar-10-binary.tar.gz");
            TestFiles.tarGz(archive, members);
            byte[] tar = gunzip(Files.readAllBytes(archive));
            setTarSize(tar, 0, Integer.MAX_VALUE - 9); // the first member claims 2 GB
            Files.write(archive, TestFiles.gzip(tar));
            read = () -> prepared(Cifar10Dataset.builder().optUsage(Usage.TRAIN));
        } else {
            byte[] image = encoded(kind, 16, 16, 3);
            hugeDimensions(kind, image);
            Path root = dir.resolve("images");
            Files.createDirectories(root.resolve("a"));
            Files.write(root.resolve("a/huge." + kind), image);
            read = () -> {
                ImageFolderDataset dataset = ImageFolderDataset.builder().setRoot(root).optImageSize(8)
                        .setSampling(1, false).build(); // the default pixel limit
                dataset.prepare();
                return dataset.sample(0, 0);
            };
        }
        assertThat(readOrRefuse(SIZE_FIELDS, read)).as("refused").isNull();
    }

    private static byte[] withInt(byte[] bytes, int offset, int value, java.nio.ByteOrder order) {
        ByteBuffer.wrap(bytes).order(order).putInt(offset, value);
        return bytes;
    }

    /** Sets the size field of the tar header at {@code header} and its checksum. */
    private static void setTarSize(byte[] tar, int header, long size) {
        byte[] field = String.format("%011o\0", size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(field, 0, tar, header + 124, 12);
        Arrays.fill(tar, header + 148, header + 156, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += tar[header + i] & 0xFF;
        }
        byte[] checksum = String.format("%06o\0 ", sum).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, tar, header + 148, 8);
    }

    /** Makes an encoded image's header claim 100,000 x 100,000 (PNG, BMP) or 65,535 x 65,535 pixels. */
    private static void hugeDimensions(String format, byte[] image) {
        ByteBuffer buffer = ByteBuffer.wrap(image);
        switch (format) {
            case "png": // IHDR: width and height, big-endian, at 16 and 20
                buffer.putInt(16, 100_000).putInt(20, 100_000);
                break;
            case "bmp": // BITMAPINFOHEADER: width and height, little-endian, at 18 and 22
                buffer.order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(18, 100_000).putInt(22, 100_000);
                break;
            case "gif": { // the logical screen, then the first image descriptor (0x2C)
                buffer.order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(6, (short) 0xFFFF).putShort(8, (short) 0xFFFF);
                int flags = image[10] & 0xFF;
                int p = 13 + ((flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0);
                while ((image[p] & 0xFF) == 0x21) { // extensions: label, then sub-blocks up to a 0
                    p += 2;
                    while ((image[p] & 0xFF) != 0) {
                        p += (image[p] & 0xFF) + 1;
                    }
                    p++;
                }
                assertThat(image[p] & 0xFF).as("image descriptor").isEqualTo(0x2C);
                buffer.putShort(p + 5, (short) 0xFFFF).putShort(p + 7, (short) 0xFFFF);
                break;
            }
            default: { // JPEG: the SOF0 segment, FF C0, length, precision, height, width
                int p = 2;
                while (!((image[p] & 0xFF) == 0xFF && (image[p + 1] & 0xFF) == 0xC0)) {
                    p += 2 + (buffer.getShort(p + 2) & 0xFFFF);
                }
                buffer.putShort(p + 5, (short) 0xFFFF).putShort(p + 7, (short) 0xFFFF);
            }
        }
    }
}
