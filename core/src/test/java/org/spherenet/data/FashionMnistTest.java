package org.spherenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.dataset.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Fashion-MNIST from the Debian package dataset-fashion-mnist. */
class FashionMnistTest {

    static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");

    static IdxDataset train;
    static IdxDataset test;

    @BeforeAll
    static void load(@TempDir Path emptyHome) throws IOException {
        assumeTrue(
                Files.isDirectory(DEBIAN),
                "needs apt-get install dataset-fashion-mnist");
        // An empty home: the locator must find the Debian folder and verify it.
        DataLocator locator = new DataLocator(null, emptyHome, "http://127.0.0.1:9/", true);
        train = IdxDataset.builder().optLocator(locator).setSampling(128, false).build();
        test =
                IdxDataset.builder()
                        .optLocator(locator)
                        .optUsage(Usage.TEST)
                        .setSampling(128, false)
                        .build();
        train.prepare();
        test.prepare();
    }

    @Test
    void hasSixtyThousandTrainingAndTenThousandTestImages() {
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(train.getClassNames()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
    }

    @Test
    void everyClassHasSixThousandTrainingAndOneThousandTestImages() {
        int[] trainCounts = new int[10];
        Arrays.stream(train.getImageSet().labels()).forEach(label -> trainCounts[label]++);
        int[] testCounts = new int[10];
        Arrays.stream(test.getImageSet().labels()).forEach(label -> testCounts[label]++);
        assertThat(trainCounts).containsOnly(6000);
        assertThat(testCounts).containsOnly(1000);
    }

    @Test
    void firstLabelsAreTheKnownOnes() {
        assertThat(Arrays.copyOf(train.getImageSet().labels(), 10))
                .containsExactly(9, 0, 0, 3, 0, 2, 7, 2, 5, 5);
        assertThat(Arrays.copyOf(test.getImageSet().labels(), 10))
                .containsExactly(9, 2, 1, 1, 6, 1, 4, 6, 5, 7);
    }

    @Test
    void rawPixelsSpanTheFullByteRange() {
        byte[] pixels = train.getImageSet().pixels();
        int min = 255;
        int max = 0;
        for (byte p : pixels) {
            min = Math.min(min, p & 0xFF);
            max = Math.max(max, p & 0xFF);
        }
        assertThat(min).isZero();
        assertThat(max).isEqualTo(255);
        assertThat(pixels).hasSize(60_000 * 28 * 28);
    }

    @Test
    void recordIsNormalisedOneByTwentyEightByTwentyEightWithScalarLabel() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Record record = train.get(manager, 0);
            NDArray image = record.getData().singletonOrThrow();
            assertThat(image.getShape()).isEqualTo(new Shape(1, 28, 28));
            assertThat(image.getDataType()).isEqualTo(DataType.FLOAT32);
            float[] values = image.toFloatArray();
            float lo = (float) (-127.5 / 128);
            float hi = (float) (127.5 / 128);
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertThat(min).isGreaterThanOrEqualTo(lo);
            assertThat(max).isLessThanOrEqualTo(hi);
            // pixel (0, 0) of image 0 is background 0, its brightest pixel is 255
            assertThat(values[0]).isEqualTo(lo);
            assertThat(image.max().getFloat()).isEqualTo(hi);
            NDArray label = record.getLabels().singletonOrThrow();
            assertThat(label.getShape()).isEqualTo(new Shape());
            assertThat(label.getFloat()).isEqualTo(9f);
        }
    }

    @Test
    void batchesAreStackedInOrder() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = test.getData(manager).iterator().next();
            NDArray x = batch.getData().singletonOrThrow();
            NDArray y = batch.getLabels().singletonOrThrow();
            assertThat(x.getShape()).isEqualTo(new Shape(128, 1, 28, 28));
            assertThat(y.getShape()).isEqualTo(new Shape(128));
            assertThat(Arrays.copyOf(y.toFloatArray(), 4)).containsExactly(9f, 2f, 1f, 1f);
            // sample 3 in the batch equals the record of index 3
            float[] three = test.get(manager, 3).getData().singletonOrThrow().toFloatArray();
            assertThat(x.get(3).toFloatArray()).containsExactly(three);
            batch.close();
        }
    }

    @Test
    void decompressedContentMatchesThePublishedDigests() throws IOException {
        assertThat(Checksums.contentMd5(DEBIAN.resolve("train-images-idx3-ubyte.gz")))
                .isEqualTo("f4a8712d7a061bf5bd6d2ca38dc4d50a");
        assertThat(Checksums.contentMd5(DEBIAN.resolve("train-labels-idx1-ubyte.gz")))
                .isEqualTo("9018921c3c673c538a1fc5bad174d6f9");
        assertThat(Checksums.contentMd5(DEBIAN.resolve("t10k-images-idx3-ubyte.gz")))
                .isEqualTo("8181f5470baa50b63fa0f6fddb340f0a");
        assertThat(Checksums.contentMd5(DEBIAN.resolve("t10k-labels-idx1-ubyte.gz")))
                .isEqualTo("15d484375f8d13e6eb1aabb0c3f46965");
        // Debian re-gzipped: the .gz itself does not match upstream's, the content check accepts it
        assertThat(Checksums.md5(DEBIAN.resolve("t10k-labels-idx1-ubyte.gz")))
                .isNotEqualTo("bb300cfdad3c16e7a12a480ee83cd310");
    }

    @Test
    void fractionKeepsClassesBalanced() throws IOException {
        IdxDataset tenth =
                IdxDataset.builder()
                        .optDataDir(DEBIAN)
                        .optLocator(new DataLocator(null, DEBIAN, null, false).withVerification(false))
                        .optFraction(0.1)
                        .setSampling(32, false)
                        .build();
        tenth.prepare();
        assertThat(tenth.size()).isEqualTo(6000);
        int[] counts = new int[10];
        for (long i = 0; i < tenth.size(); i++) {
            counts[tenth.label(i)]++;
        }
        assertThat(counts).containsOnly(600);
        // the first samples are the first of the file
        assertThat(tenth.label(0)).isEqualTo(9);
        assertThat(tenth.label(3)).isEqualTo(3);
    }
}
