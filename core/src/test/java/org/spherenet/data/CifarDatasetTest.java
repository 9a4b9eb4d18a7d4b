package org.spherenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.dataset.Record;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR readers on files written here in the exact binary layout. */
class CifarDatasetTest {

    @TempDir Path dir;

    /** CIFAR-10 files: 5 training batches of 3 records (labels 0..9 cycling), a test batch of 2. */
    private Map<String, byte[]> cifar10Files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int b = 0; b < 5; b++) {
            int[][] labels = new int[3][];
            for (int r = 0; r < 3; r++) {
                labels[r] = new int[] {(b * 3 + r) % 10};
            }
            files.put("data_batch_" + (b + 1) + ".bin", TestFiles.cifarRecords(b * 3, labels));
        }
        files.put("test_batch.bin", TestFiles.cifarRecords(100, new int[][] {{7}, {2}}));
        return files;
    }

    private Cifar10Dataset cifar10(Path dataDir, Usage usage) throws IOException {
        Cifar10Dataset dataset =
                Cifar10Dataset.builder()
                        .optDataDir(dataDir)
                        .optLocator(TestFiles.unverified(dir.resolve("home")))
                        .optUsage(usage)
                        .setSampling(4, false)
                        .build();
        dataset.prepare();
        return dataset;
    }

    private static void write(Path folder, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(folder);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(folder.resolve(file.getKey()), file.getValue());
        }
    }

    private static void assertCifarPixels(ImageSet images, int firstImage) {
        for (int i = 0; i < images.size(); i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        assertThat(images.pixel(i, c, y, x))
                                .as("image %d (%d, %d, %d)", i, c, y, x)
                                .isEqualTo(TestFiles.cifarPixel(firstImage + i, c, y, x));
                    }
                }
            }
        }
    }

    @Test
    void cifar10TrainingBatchesAreReadInOrderAsChannelPlanes() throws IOException {
        write(dir.resolve("c10"), cifar10Files());
        Cifar10Dataset train = cifar10(dir.resolve("c10"), Usage.TRAIN);
        assertThat(train.size()).isEqualTo(15);
        assertThat(train.getImageSet().labels())
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4);
        assertCifarPixels(train.getImageSet(), 0);
        assertThat(train.getClassNames()).startsWith("airplane").endsWith("truck");
    }

    @Test
    void cifar10RecordHoldsTheNormalisedChwImage() throws IOException {
        write(dir.resolve("c10"), cifar10Files());
        Cifar10Dataset test = cifar10(dir.resolve("c10"), Usage.TEST);
        try (NDManager manager = NDManager.newBaseManager()) {
            Record record = test.get(manager, 1);
            NDArray image = record.getData().singletonOrThrow();
            assertThat(image.getShape()).isEqualTo(new Shape(3, 32, 32));
            // green channel, row 5, column 9 of test image 1 (overall image 101)
            float expected = (float) ((TestFiles.cifarPixel(101, 1, 5, 9) - 127.5) / 128);
            assertThat(image.getFloat(1, 5, 9)).isEqualTo(expected);
            assertThat(record.getLabels().singletonOrThrow().getFloat()).isEqualTo(2f);
        }
    }

    @Test
    void cifar10ReadsTheExtractedSubFolderAndTheClassNamesFile() throws IOException {
        Map<String, byte[]> files = cifar10Files();
        files.put(
                "batches.meta.txt",
                "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n".getBytes(StandardCharsets.US_ASCII));
        write(dir.resolve("c10/cifar-10-batches-bin"), files);
        Cifar10Dataset test = cifar10(dir.resolve("c10"), Usage.TEST);
        assertThat(test.getImageSet().labels()).containsExactly(7, 2);
        assertThat(test.getClassNames()).containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    }

    @Test
    void cifar10ReadsStraightFromTheOfficialArchive() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        cifar10Files().forEach((name, bytes) -> members.put("cifar-10-batches-bin/" + name, bytes));
        Files.createDirectories(dir.resolve("c10"));
        TestFiles.tarGz(dir.resolve("c10/cifar-10-binary.tar.gz"), members);
        Cifar10Dataset train = cifar10(dir.resolve("c10"), Usage.TRAIN);
        assertThat(train.size()).isEqualTo(15);
        assertCifarPixels(train.getImageSet(), 0);
        Cifar10Dataset test = cifar10(dir.resolve("c10"), Usage.TEST);
        assertThat(test.getImageSet().labels()).containsExactly(7, 2);
        assertCifarPixels(test.getImageSet(), 100);
    }

    private Map<String, byte[]> cifar100Files() {
        // record i: coarse label i % 20, fine label (7 i + 3) % 100
        int[][] train = new int[25][];
        for (int i = 0; i < 25; i++) {
            train[i] = new int[] {i % 20, (7 * i + 3) % 100};
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("train.bin", TestFiles.cifarRecords(0, train));
        files.put("test.bin", TestFiles.cifarRecords(50, new int[][] {{19, 99}, {0, 0}}));
        return files;
    }

    private Cifar100Dataset cifar100(Path dataDir, Usage usage, boolean coarse) throws IOException {
        Cifar100Dataset dataset =
                Cifar100Dataset.builder()
                        .optDataDir(dataDir)
                        .optLocator(TestFiles.unverified(dir.resolve("home")))
                        .optUsage(usage)
                        .optCoarseLabels(coarse)
                        .setSampling(4, false)
                        .build();
        dataset.prepare();
        return dataset;
    }

    @Test
    void cifar100UsesFineLabelsByDefaultAndCoarseOnRequest() throws IOException {
        write(dir.resolve("c100"), cifar100Files());
        Cifar100Dataset fine = cifar100(dir.resolve("c100"), Usage.TRAIN, false);
        Cifar100Dataset coarse = cifar100(dir.resolve("c100"), Usage.TRAIN, true);
        assertThat(fine.size()).isEqualTo(25);
        for (int i = 0; i < 25; i++) {
            assertThat(fine.label(i)).isEqualTo((7 * i + 3) % 100);
            assertThat(coarse.label(i)).isEqualTo(i % 20);
        }
        assertThat(fine.getClassNames()).hasSize(100);
        assertThat(coarse.getClassNames()).hasSize(20);
        assertCifarPixels(fine.getImageSet(), 0);
        Cifar100Dataset test = cifar100(dir.resolve("c100"), Usage.TEST, false);
        assertThat(test.getImageSet().labels()).containsExactly(99, 0);
        assertCifarPixels(test.getImageSet(), 50);
    }

    @Test
    void cifar100ReadsTheArchiveWithItsLabelNames() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        cifar100Files().forEach((name, bytes) -> members.put("cifar-100-binary/" + name, bytes));
        StringBuilder coarseNames = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            coarseNames.append("super").append(i).append('\n');
        }
        members.put(
                "cifar-100-binary/coarse_label_names.txt",
                coarseNames.toString().getBytes(StandardCharsets.US_ASCII));
        Files.createDirectories(dir.resolve("c100"));
        TestFiles.tarGz(dir.resolve("c100/cifar-100-binary.tar.gz"), members);
        Cifar100Dataset coarse = cifar100(dir.resolve("c100"), Usage.TEST, true);
        assertThat(coarse.getImageSet().labels()).containsExactly(19, 0);
        assertThat(coarse.getClassNames().get(19)).isEqualTo("super19");
        assertCifarPixels(coarse.getImageSet(), 50);
    }

    @Test
    void cifarLabelOutOfRangeIsRefused() throws IOException {
        Map<String, byte[]> files = cifar10Files();
        files.put("test_batch.bin", TestFiles.cifarRecords(0, new int[][] {{3}, {10}}));
        write(dir.resolve("c10"), files);
        assertThatThrownBy(() -> cifar10(dir.resolve("c10"), Usage.TEST))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("test_batch.bin: label 10 in record 1 outside 0..9");
    }

    @Test
    void truncatedCifarFileIsRefused() throws IOException {
        Map<String, byte[]> files = cifar10Files();
        byte[] full = files.get("test_batch.bin");
        files.put("test_batch.bin", java.util.Arrays.copyOf(full, full.length - 100));
        write(dir.resolve("c10"), files);
        assertThatThrownBy(() -> cifar10(dir.resolve("c10"), Usage.TEST))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("truncated")
                .satisfies(e -> assertThat(((DataException) e).getFile()).hasFileName("test_batch.bin"));
    }

    @Test
    void missingCifarFileIsReported() throws IOException {
        Map<String, byte[]> files = cifar10Files();
        files.remove("data_batch_3.bin");
        write(dir.resolve("c10"), files);
        assertThatThrownBy(() -> cifar10(dir.resolve("c10"), Usage.TRAIN))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("no cifar-10 data")
                .hasMessageContaining("data_batch_3.bin");
    }
}
