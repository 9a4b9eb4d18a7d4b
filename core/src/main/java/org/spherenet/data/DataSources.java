package org.spherenet.data;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The datasets we know how to find, download and verify. Checksums are the published ones (see
 * {@code DATA.md}); adding a dataset means adding one constant here.
 */
public final class DataSources {

    /** Zalando's Fashion-MNIST; also installed by the Debian package dataset-fashion-mnist. */
    public static final DataSource FASHION_MNIST =
            new DataSource(
                    "fashion-mnist",
                    List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                    List.of(
                            // Debian re-gzipped these files: its .gz digests differ from
                            // upstream's, the content digests (checked second) match both.
                            DataFile.gzip(
                                    "train-images-idx3-ubyte.gz",
                                    "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                                    "f4a8712d7a061bf5bd6d2ca38dc4d50a"),
                            DataFile.gzip(
                                    "train-labels-idx1-ubyte.gz",
                                    "25c81989df183df01b3e8a0aad5dffbe",
                                    "9018921c3c673c538a1fc5bad174d6f9"),
                            DataFile.gzip(
                                    "t10k-images-idx3-ubyte.gz",
                                    "bef4ecab320f06d8554ea6380940ec79",
                                    "8181f5470baa50b63fa0f6fddb340f0a"),
                            DataFile.gzip(
                                    "t10k-labels-idx1-ubyte.gz",
                                    "bb300cfdad3c16e7a12a480ee83cd310",
                                    "15d484375f8d13e6eb1aabb0c3f46965")),
                    null,
                    null,
                    List.of(Path.of("/usr/share/datasets/fashion-mnist")),
                    List.of(
                            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                            "Shirt", "Sneaker", "Bag", "Ankle boot"),
                    "install the Debian package dataset-fashion-mnist"
                            + " (apt-get install dataset-fashion-mnist)");

    /**
     * LeCun's MNIST, from torchvision's mirrors (the original site is often down). The content
     * digests come from a single public source each.
     */
    public static final DataSource MNIST =
            new DataSource(
                    "mnist",
                    List.of(
                            "https://ossci-datasets.s3.amazonaws.com/mnist/",
                            "http://yann.lecun.com/exdb/mnist/"),
                    List.of(
                            DataFile.gzip(
                                    "train-images-idx3-ubyte.gz",
                                    "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                                    "6bbc9ace898e44ae57da46a324031adb"),
                            DataFile.gzip(
                                    "train-labels-idx1-ubyte.gz",
                                    "d53e105ee54ea40749a09fcbcd1e9432",
                                    "a25bea736e30d166cdddb491f175f624"),
                            DataFile.gzip(
                                    "t10k-images-idx3-ubyte.gz",
                                    "9fb629c4189551a2d022fa330f9573f3",
                                    "2646ac647ad5339dbf082846283269ea"),
                            DataFile.gzip(
                                    "t10k-labels-idx1-ubyte.gz",
                                    "ec29112dd5afa0611ce80d1b7f02629c",
                                    "27ae3e4e09519cfbb04c329615203637")),
                    null,
                    null,
                    List.of(),
                    numbered(10),
                    null);

    /** Kuzushiji-MNIST (KMNIST); only the {@code .gz} digests are published (torchvision). */
    public static final DataSource KMNIST =
            new DataSource(
                    "kmnist",
                    List.of("http://codh.rois.ac.jp/kmnist/dataset/kmnist/"),
                    List.of(
                            DataFile.gzip(
                                    "train-images-idx3-ubyte.gz",
                                    "bdb82020997e1d708af4cf47b453dcf7",
                                    null),
                            DataFile.gzip(
                                    "train-labels-idx1-ubyte.gz",
                                    "e144d726b3acfaa3e44228e80efcd344",
                                    null),
                            DataFile.gzip(
                                    "t10k-images-idx3-ubyte.gz",
                                    "5c965bf0a639b31b8f53240b1b52f4d7",
                                    null),
                            DataFile.gzip(
                                    "t10k-labels-idx1-ubyte.gz",
                                    "7320c461ea6c1c855c0b718fb2a4b134",
                                    null)),
                    null,
                    null,
                    List.of(),
                    List.of("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
                    null);

    /** CIFAR-10, binary version: the archive, or the files it extracts to. */
    public static final DataSource CIFAR10 =
            new DataSource(
                    "cifar-10",
                    List.of("https://www.cs.toronto.edu/~kriz/"),
                    List.of(
                            DataFile.of("data_batch_1.bin", "5dd7e06a14cb22eb9f671a540d1b7c25"),
                            DataFile.of("data_batch_2.bin", "5ea93a67294ea407fff1d09f752e9692"),
                            DataFile.of("data_batch_3.bin", "942cd6a4bcdd0dd3c604fbe906cb4421"),
                            DataFile.of("data_batch_4.bin", "ae636b3ba5c66a11e91e8cb52e771fcb"),
                            DataFile.of("data_batch_5.bin", "53f37980c15c3d472c316c40844f3f0d"),
                            DataFile.of("test_batch.bin", "803d5f7f4d78ea53de84dbe85f74fb6d")),
                    DataFile.of("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530"),
                    "cifar-10-batches-bin",
                    List.of(),
                    List.of(
                            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                            "ship", "truck"),
                    null);

    /**
     * CIFAR-100, binary version. The per-file digests have a single public source, so the
     * extracted files are checked by size only; the archive by its official MD5.
     */
    public static final DataSource CIFAR100 =
            new DataSource(
                    "cifar-100",
                    List.of("https://www.cs.toronto.edu/~kriz/"),
                    List.of(
                            DataFile.sized("train.bin", 153_700_000L),
                            DataFile.sized("test.bin", 30_740_000L)),
                    DataFile.of("cifar-100-binary.tar.gz", "03b5dce01913d631647c71ecec9e9cb8"),
                    "cifar-100-binary",
                    List.of(),
                    numbered(100),
                    null);

    private DataSources() {}

    /**
     * Returns the names "0", "1", ..., for classes without published names.
     *
     * @param count the number of classes
     * @return the names
     */
    static List<String> numbered(int count) {
        return IntStream.range(0, count).mapToObj(Integer::toString).collect(Collectors.toList());
    }
}
