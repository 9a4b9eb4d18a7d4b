package org.spherenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.training.dataset.Dataset.Usage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way an IDX dataset can be broken gives a one-line {@link DataException}. */
class MalformedIdxTest {

    @TempDir Path dir;

    private static final int N = 5;

    private byte[] pixels(int count) {
        byte[] p = new byte[count * 28 * 28];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 13);
        }
        return p;
    }

    /** Writes the four files of a valid 5-image dataset, test split gzip-compressed. */
    private void writeValid() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), TestFiles.idxImages(N, 28, 28, pixels(N)));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(3, 1, 4, 1, 5));
        Files.write(
                dir.resolve("t10k-images-idx3-ubyte.gz"),
                TestFiles.gzip(TestFiles.idxImages(2, 28, 28, pixels(2))));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), TestFiles.gzip(TestFiles.idxLabels(9, 2)));
    }

    private IdxDataset read(Usage usage) throws IOException {
        IdxDataset dataset =
                IdxDataset.builder()
                        .optDataDir(dir)
                        .optLocator(TestFiles.unverified(dir.resolve("home")))
                        .optUsage(usage)
                        .setSampling(2, false)
                        .build();
        dataset.prepare();
        return dataset;
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertFails(Usage usage, String file) {
        return assertThatThrownBy(() -> read(usage))
                .isInstanceOf(DataException.class)
                .satisfies(e -> assertThat(((DataException) e).getFile()).hasFileName(file))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith(dir.toString()));
    }

    @Test
    void validRawAndGzipFilesAreRead() throws IOException {
        writeValid();
        IdxDataset train = read(Usage.TRAIN);
        assertThat(train.getImageSet().labels()).containsExactly(3, 1, 4, 1, 5);
        assertThat(train.getImageSet().pixel(1, 0, 0, 2)).isEqualTo((28 * 28 + 2) * 13 & 0xFF);
        assertThat(read(Usage.TEST).getImageSet().labels()).containsExactly(9, 2);
    }

    @Test
    void wrongMagicNumber() throws IOException {
        writeValid();
        byte[] labels = TestFiles.idxLabels(3, 1, 4, 1, 5);
        Files.write(dir.resolve("train-images-idx3-ubyte"), labels); // a label file as images
        assertFails(Usage.TRAIN, "train-images-idx3-ubyte")
                .hasMessageContaining("wrong magic number 0x00000801, expected 0x00000803");
    }

    @Test
    void truncatedRawImages() throws IOException {
        writeValid();
        byte[] full = TestFiles.idxImages(N, 28, 28, pixels(N));
        Files.write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(full, full.length - 1));
        assertFails(Usage.TRAIN, "train-images-idx3-ubyte").hasMessageContaining("truncated");
    }

    @Test
    void truncatedGzipImages() throws IOException {
        writeValid();
        byte[] full = TestFiles.idxImages(2, 28, 28, pixels(2));
        Files.write(
                dir.resolve("t10k-images-idx3-ubyte.gz"),
                TestFiles.gzip(Arrays.copyOf(full, full.length - 30)));
        assertFails(Usage.TEST, "t10k-images-idx3-ubyte.gz").hasMessageContaining("truncated");
    }

    @Test
    void truncatedHeader() throws IOException {
        writeValid();
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0});
        assertFails(Usage.TRAIN, "train-labels-idx1-ubyte").hasMessageContaining("truncated header");
    }

    @Test
    void headerClaimingABillionImagesIsRefusedBeforeAllocating() throws IOException {
        writeValid();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x803);
        out.writeInt(1_000_000_000);
        out.writeInt(28);
        out.writeInt(28);
        out.write(new byte[784]);
        Files.write(dir.resolve("train-images-idx3-ubyte"), bytes.toByteArray());
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), TestFiles.gzip(bytes.toByteArray()));
        assertFails(Usage.TRAIN, "train-images-idx3-ubyte").hasMessageContaining("too many");
        assertFails(Usage.TEST, "t10k-images-idx3-ubyte.gz").hasMessageContaining("too many");
    }

    @Test
    void headerClaimingMoreImagesThanAGzipHoldsIsTruncated() throws IOException {
        writeValid();
        // two million images claimed (1.5 GB) in a tiny file: must fail fast, without that memory
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x803);
        out.writeInt(2_000_000);
        out.writeInt(28);
        out.writeInt(28);
        out.write(new byte[784]);
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), TestFiles.gzip(bytes.toByteArray()));
        assertFails(Usage.TEST, "t10k-images-idx3-ubyte.gz").hasMessageContaining("truncated");
    }

    @Test
    void dataAfterTheLastImage() throws IOException {
        writeValid();
        byte[] full = TestFiles.idxImages(N, 28, 28, pixels(N));
        Files.write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(full, full.length + 784));
        assertFails(Usage.TRAIN, "train-images-idx3-ubyte").hasMessageContaining("too long");
    }

    @Test
    void imageAndLabelCountsDiffer() throws IOException {
        writeValid();
        Files.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(3, 1, 4, 1));
        assertFails(Usage.TRAIN, "train-labels-idx1-ubyte")
                .hasMessageContaining("4 labels but")
                .hasMessageContaining("has 5 images");
    }

    @Test
    void labelOutOfRange() throws IOException {
        writeValid();
        Files.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(3, 1, 10, 1, 5));
        assertFails(Usage.TRAIN, "train-labels-idx1-ubyte")
                .hasMessageContaining("label 10 at index 2 outside 0..9");
    }

    @Test
    void wrongImageSize() throws IOException {
        writeValid();
        Files.write(dir.resolve("train-images-idx3-ubyte"), TestFiles.idxImages(N, 32, 24, new byte[N * 32 * 24]));
        assertFails(Usage.TRAIN, "train-images-idx3-ubyte")
                .hasMessageContaining("wrong image size 32x24, expected 28x28");
    }

    @Test
    void missingFiles() throws IOException {
        writeValid();
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertThatThrownBy(() -> read(Usage.TEST))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir + ": no fashion-mnist data")
                .hasMessageContaining("t10k-labels-idx1-ubyte.gz");
    }

    @Test
    void checksumMismatchOfAFileClaimingToBeFashionMnist() throws IOException {
        writeValid();
        DataLocator verifying = new DataLocator(null, dir.resolve("home"), "http://127.0.0.1:9/", false);
        IdxDataset dataset = IdxDataset.builder().optDataDir(dir).optLocator(verifying).setSampling(1, false).build();
        assertThatThrownBy(dataset::prepare)
                .isInstanceOf(DataException.class)
                .hasMessageContaining("checksum mismatch")
                .satisfies(e -> assertThat(((DataException) e).getFile().getParent()).isEqualTo(dir));
    }

    @Test
    void dataExceptionMessageIsOneLineFileColonReason() {
        DataException e = new DataException(Path.of("/x/y.bin"), "bad\nthing");
        assertThat(e.getMessage()).isEqualTo("/x/y.bin: bad thing");
        assertThat(e.getFile()).isEqualTo(Path.of("/x/y.bin"));
        assertThat(e.getReason()).isEqualTo("bad\nthing");
    }
}
