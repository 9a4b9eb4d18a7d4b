package org.spherenet.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Base of the CIFAR binary readers: images (3, 32, 32), read from the extracted folder or straight
 * from the official {@code .tar.gz} (members read in memory, nothing extracted).
 *
 * <p>A record is {@code labelBytes} label bytes then 3072 pixel bytes: the 1024 red values, then
 * green, then blue, each plane 32 x 32 row-major. That is already CHW, so records are copied as
 * they are.
 */
public abstract class CifarDataset extends InMemoryImageDataset {

    /** Pixel bytes per record: 3 x 32 x 32. */
    public static final int PIXELS = 3 * 32 * 32;

    /**
     * Creates the dataset from its builder.
     *
     * @param builder the builder
     */
    protected CifarDataset(FileBuilder<?> builder) {
        super(builder);
    }

    /**
     * Returns the data files of the split this dataset is for.
     *
     * @return the file names
     */
    protected abstract List<String> dataFiles();

    /**
     * Returns the number of label bytes leading each record.
     *
     * @return 1 for CIFAR-10, 2 for CIFAR-100
     */
    protected abstract int labelBytes();

    /**
     * Returns which of the label bytes is the label.
     *
     * @return the index, 0..labelBytes()-1
     */
    protected abstract int labelIndex();

    /**
     * Returns the optional file holding one class name per line.
     *
     * @return the file name
     */
    protected abstract String namesFile();

    /**
     * Returns the class names used when {@link #namesFile()} is absent.
     *
     * @return the default names
     */
    protected abstract List<String> defaultClassNames();

    @Override
    protected ImageSet read(Path dir) throws IOException {
        Map<String, FileBytes> files = readFiles(dir);
        List<String> names = classNames(files.get(namesFile()));
        int recordSize = labelBytes() + PIXELS;
        long records = 0;
        for (String name : dataFiles()) {
            FileBytes file = files.get(name);
            if (file == null) {
                throw new DataException(dir.resolve(name), "missing file");
            }
            if (file.bytes().length % recordSize != 0) {
                throw new DataException(
                        file.path(),
                        "truncated: "
                                + file.bytes().length
                                + " bytes is not a whole number of "
                                + recordSize
                                + "-byte records");
            }
            records += file.bytes().length / recordSize;
        }
        if (records * PIXELS > Integer.MAX_VALUE - 8) {
            throw new DataException(dir, records + " records do not fit in memory");
        }
        byte[] pixels = new byte[(int) records * PIXELS];
        int[] labels = new int[(int) records];
        int n = 0;
        for (String name : dataFiles()) {
            FileBytes file = files.get(name);
            byte[] bytes = file.bytes();
            for (int offset = 0; offset < bytes.length; offset += recordSize, n++) {
                int label = bytes[offset + labelIndex()] & 0xFF;
                if (label >= names.size()) {
                    throw new DataException(
                            file.path(),
                            "label "
                                    + label
                                    + " in record "
                                    + offset / recordSize
                                    + " outside 0.."
                                    + (names.size() - 1));
                }
                labels[n] = label;
                System.arraycopy(bytes, offset + labelBytes(), pixels, n * PIXELS, PIXELS);
            }
        }
        return new ImageSet(pixels, labels, 3, 32, 32, names);
    }

    /** The data files and (if present) the names file, from the archive or the folder. */
    private Map<String, FileBytes> readFiles(Path dir) throws IOException {
        List<String> wanted = new ArrayList<>(dataFiles());
        wanted.add(namesFile());
        String folder = getSource().archiveFolder();
        Map<String, FileBytes> files = new LinkedHashMap<>();
        Path archive = getSource().findArchive(dir);
        if (archive != null) {
            Set<String> members = new HashSet<>();
            wanted.forEach(name -> members.add(folder + "/" + name));
            TarGz.read(archive, members)
                    .forEach(
                            (member, bytes) -> {
                                String name = member.substring(folder.length() + 1);
                                Path path = Path.of(archive + "!/" + member);
                                files.put(name, new FileBytes(path, bytes));
                            });
            return files;
        }
        for (String name : wanted) {
            for (Path candidate : List.of(dir.resolve(name), dir.resolve(folder).resolve(name))) {
                if (Files.isRegularFile(candidate)) {
                    files.put(name, new FileBytes(candidate, Files.readAllBytes(candidate)));
                    break;
                }
            }
        }
        return files;
    }

    private List<String> classNames(FileBytes file) {
        if (file == null) {
            return defaultClassNames();
        }
        List<String> names =
                new String(file.bytes(), StandardCharsets.UTF_8)
                        .lines()
                        .map(String::trim)
                        .filter(line -> !line.isEmpty())
                        .collect(Collectors.toList());
        if (names.size() != defaultClassNames().size()) {
            throw new DataException(
                    file.path(),
                    names.size() + " class names, expected " + defaultClassNames().size());
        }
        return names;
    }

    /** A file's bytes and the path to name in error messages. */
    private record FileBytes(Path path, byte[] bytes) {}
}
