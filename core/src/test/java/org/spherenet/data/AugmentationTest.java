package org.spherenet.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentationTest {

    /** A 1 x 3 x 4 image whose pixel (y, x) is 10 y + x + 1. */
    private static ByteImage ramp() {
        byte[] p = new byte[12];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                p[y * 4 + x] = (byte) (10 * y + x + 1);
            }
        }
        return new ByteImage(p, 1, 3, 4);
    }

    @Test
    void flipWithProbabilityOneMirrorsEveryRowAndChannel() {
        byte[] p = new byte[2 * 2 * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) i; // (c, y, x) = 6 c + 3 y + x
        }
        ByteImage out = new HorizontalFlip(1).apply(new ByteImage(p, 2, 2, 3), new SplittableRandom(1));
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) {
                    assertThat(out.get(c, y, x)).isEqualTo(6 * c + 3 * y + (2 - x));
                }
            }
        }
    }

    @Test
    void flipWithProbabilityZeroKeepsTheImage() {
        ByteImage out = new HorizontalFlip(0).apply(ramp(), new SplittableRandom(1));
        assertThat(out.pixels()).containsExactly(ramp().pixels());
    }

    @Test
    void flipHappensAboutHalfTheTimeAtOneHalf() {
        int flipped = 0;
        for (int i = 0; i < 1000; i++) {
            ByteImage out = new HorizontalFlip(0.5).apply(ramp(), Seeds.forSample(7, 0, i));
            flipped += out.get(0, 0, 0) == 4 ? 1 : 0;
        }
        assertThat(flipped).isBetween(430, 570);
    }

    /** Applies PadCrop with the crop offset forced by searching seeds for the wanted draw. */
    private static ByteImage padCropAt(PadCrop crop, ByteImage image, int pad, int size, int dy, int dx) {
        int rangeY = image.height() + 2 * pad - size + 1;
        int rangeX = image.width() + 2 * pad - size + 1;
        for (long seed = 0; ; seed++) {
            SplittableRandom probe = new SplittableRandom(seed);
            if (probe.nextInt(rangeY) == dy + pad && probe.nextInt(rangeX) == dx + pad) {
                return crop.apply(image, new SplittableRandom(seed));
            }
        }
    }

    @Test
    void zeroPaddingCropShiftsThePixelsAndFillsZeros() {
        // window starting at padded (0, 0): source offset (-2, -2)
        ByteImage out = padCropAt(new PadCrop(2, 4, PaddingMode.ZERO), ramp(), 2, 4, -2, -2);
        assertThat(out.height()).isEqualTo(4);
        assertThat(out.width()).isEqualTo(4);
        assertThat(out.get(0, 0, 0)).isZero();
        assertThat(out.get(0, 1, 3)).isZero();
        assertThat(out.get(0, 2, 2)).isEqualTo(1); // source (0, 0)
        assertThat(out.get(0, 3, 3)).isEqualTo(12); // source (1, 1)
        assertThat(out.get(0, 2, 1)).isZero();
    }

    @Test
    void reflectPaddingMirrorsWithoutRepeatingTheEdge() {
        ByteImage out = padCropAt(new PadCrop(2, 4, PaddingMode.REFLECT), ramp(), 2, 4, -2, -2);
        // padded row -2 is row 2, row -1 is row 1; column -2 is column 2, -1 is 1
        assertThat(out.get(0, 0, 0)).isEqualTo(23); // source (2, 2)
        assertThat(out.get(0, 1, 1)).isEqualTo(12); // source (1, 1)
        assertThat(out.get(0, 2, 0)).isEqualTo(3); // source (0, 2)
        assertThat(out.get(0, 2, 2)).isEqualTo(1); // source (0, 0)
    }

    @Test
    void symmetricPaddingRepeatsTheEdge() {
        ByteImage out = padCropAt(new PadCrop(2, 4, PaddingMode.SYMMETRIC), ramp(), 2, 4, -2, -2);
        assertThat(out.get(0, 0, 0)).isEqualTo(12); // source (1, 1)
        assertThat(out.get(0, 1, 1)).isEqualTo(1); // source (0, 0)
    }

    @Test
    void cropAtTheFarCornerReadsTheOppositeBorder() {
        // window starting at padded (1, 2) = source offset (-1, 0), output 3 x 4
        ByteImage out = padCropAt(new PadCrop(1, 4, PaddingMode.ZERO), ramp(), 1, 4, 0, 1);
        assertThat(out.get(0, 0, 0)).isEqualTo(2); // source (0, 1)
        assertThat(out.get(0, 2, 2)).isEqualTo(24); // source (2, 3)
        assertThat(out.get(0, 2, 3)).isZero(); // source column 4 is padding
        assertThat(out.get(0, 3, 0)).isZero(); // source row 3 is padding
    }

    @Test
    void paddingModesMapCoordinatesLikeNumpy() {
        // numpy.pad(arange(4), 5, mode) for i = -5..8
        int[] reflect = {1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2};
        int[] symmetric = {3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0};
        for (int i = -5; i <= 8; i++) {
            assertThat(PaddingMode.REFLECT.source(i, 4)).as("reflect %d", i).isEqualTo(reflect[i + 5]);
            assertThat(PaddingMode.SYMMETRIC.source(i, 4)).as("symmetric %d", i).isEqualTo(symmetric[i + 5]);
        }
        assertThat(PaddingMode.ZERO.source(-1, 4)).isEqualTo(-1);
        assertThat(PaddingMode.ZERO.source(4, 4)).isEqualTo(-1);
    }

    @Test
    void cifarPlusKeepsTheShapeAndMovesPixels() {
        byte[] p = new byte[3 * 32 * 32];
        new SplittableRandom(3).nextBytes(p);
        ByteImage image = new ByteImage(p, 3, 32, 32);
        int changed = 0;
        for (int i = 0; i < 20; i++) {
            ByteImage out =
                    Augmentations.cifarPlus()
                            .apply(new ByteImage(p.clone(), 3, 32, 32), Seeds.forSample(1, 0, i));
            assertThat(out.channels()).isEqualTo(3);
            assertThat(out.height()).isEqualTo(32);
            assertThat(out.width()).isEqualTo(32);
            changed += java.util.Arrays.equals(out.pixels(), image.pixels()) ? 0 : 1;
        }
        assertThat(changed).isGreaterThan(15);
    }

    @Test
    void normalisationsMapPixelsAsDocumented() {
        assertThat(Normalization.authors().apply(0, 0)).isEqualTo(-127.5f / 128);
        assertThat(Normalization.authors().apply(2, 255)).isEqualTo(127.5f / 128);
        assertThat(Normalization.unit().apply(0, 51)).isEqualTo(0.2f);
        Normalization imagenet =
                Normalization.meanStd(new float[] {0.5f, 0.25f, 0f}, new float[] {0.5f, 0.25f, 2f});
        assertThat(imagenet.apply(0, 0)).isEqualTo(-1f);
        assertThat(imagenet.apply(1, 255)).isEqualTo(3f);
        assertThat(imagenet.apply(2, 255)).isEqualTo(0.5f);
        Normalization twoChannels =
                Normalization.meanStd(new float[] {0.5f, 0.25f}, new float[] {0.5f, 0.25f});
        float[] dst = new float[4];
        twoChannels.write(new ByteImage(new byte[] {0, (byte) 255, 0, (byte) 255}, 2, 1, 2), dst, 0);
        assertThat(dst).containsExactly(-1f, 1f, -1f, 3f);
    }

    // ---- determinism through the dataset ----

    @TempDir Path dir;

    private Cifar10Dataset cifar(long seed) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int b = 1; b <= 5; b++) {
            int[][] labels = new int[8][];
            for (int r = 0; r < 8; r++) {
                labels[r] = new int[] {r};
            }
            files.put("data_batch_" + b + ".bin", TestFiles.cifarRecords(b * 8, labels));
        }
        files.put("test_batch.bin", TestFiles.cifarRecords(0, new int[][] {{0}}));
        Path folder = dir.resolve("c10");
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(folder.resolve(f.getKey()), f.getValue());
            }
        }
        Cifar10Dataset dataset =
                Cifar10Dataset.builder()
                        .optDataDir(folder)
                        .optLocator(TestFiles.unverified(dir.resolve("home")))
                        .optUsage(Usage.TRAIN)
                        .optAugmentation(Augmentations.cifarPlus())
                        .optSeed(seed)
                        .setSampling(16, true)
                        .build();
        dataset.prepare();
        return dataset;
    }

    /** All batches of one epoch, data then labels, flattened. */
    private static List<float[]> epoch(Cifar10Dataset dataset, int epoch, ExecutorService executor)
            throws Exception {
        dataset.setEpoch(epoch);
        List<float[]> out = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Batch batch : dataset.getData(manager, executor)) {
                out.add(batch.getData().singletonOrThrow().toFloatArray());
                out.add(batch.getLabels().singletonOrThrow().toFloatArray());
                batch.close();
            }
        }
        return out;
    }

    @Test
    void sameSeedAndEpochGiveTheSameBatchesEvenWithPrefetchThreads() throws Exception {
        List<float[]> a = epoch(cifar(42), 3, null);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<float[]> b = epoch(cifar(42), 3, executor);
            assertThat(b).hasSameSizeAs(a).hasSize(6);
            for (int i = 0; i < a.size(); i++) {
                assertThat(b.get(i)).containsExactly(a.get(i));
            }
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void differentEpochsAndSeedsGiveDifferentBatches() throws Exception {
        Cifar10Dataset dataset = cifar(42);
        List<float[]> e0 = epoch(dataset, 0, null);
        List<float[]> e1 = epoch(dataset, 1, null);
        List<float[]> other = epoch(cifar(43), 0, null);
        assertThat(e1.get(0)).isNotEqualTo(e0.get(0));
        assertThat(e1.get(1)).isNotEqualTo(e0.get(1)); // shuffle order differs too
        assertThat(other.get(0)).isNotEqualTo(e0.get(0));
        // an epoch is a permutation: every label 0..7 five times
        float[] labels = new float[40];
        int n = 0;
        for (int i = 1; i < e1.size(); i += 2) {
            for (float label : e1.get(i)) {
                labels[n++] = label;
            }
        }
        java.util.Arrays.sort(labels);
        for (int i = 0; i < 40; i++) {
            assertThat(labels[i]).isEqualTo(i / 5);
        }
    }

    @Test
    void augmentationOfASampleDependsOnlyOnSeedEpochAndIndex() throws Exception {
        Cifar10Dataset dataset = cifar(5);
        ByteImage first = dataset.sample(17, 2);
        dataset.sample(3, 2); // other draws in between change nothing
        dataset.sample(17, 4);
        assertThat(dataset.sample(17, 2).pixels()).containsExactly(first.pixels());
    }
}
