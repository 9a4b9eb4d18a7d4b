package org.spherenet.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a dataset's folder, downloading it if needed. The search order, first match wins:
 *
 * <ol>
 *   <li>the explicit folder ({@code --data DIR}) if given: {@code DIR/<name>} or {@code DIR}
 *       itself; if neither holds the data, that is an error (no download);
 *   <li>{@code $SPHERENET_DATA/<name>};
 *   <li>{@code ~/.spherenet/data/<name>};
 *   <li>the folders an OS package installs to (Fashion-MNIST: {@code
 *       /usr/share/datasets/fashion-mnist} from the Debian package {@code dataset-fashion-mnist});
 *   <li>download the missing files into {@code $SPHERENET_DATA/<name>}, or {@code
 *       ~/.spherenet/data/<name>} when the variable is unset.
 * </ol>
 *
 * <p>Files found are verified before use (MD5 of the file or of its decompressed content, see
 * {@link Checksums#verify}; about 0.3 s for Fashion-MNIST, 0.5 s for a CIFAR archive), once per
 * JVM per file unless its size or modification time changes. The download base URL can be replaced by the system property {@value
 * #BASE_URL_PROPERTY} or {@link #withBaseUrl}.
 */
public final class DataLocator {

    /** The environment variable naming a folder that holds {@code <name>/} dataset folders. */
    public static final String DATA_ENV = "SPHERENET_DATA";

    /** The system property that replaces every dataset's download base URL. */
    public static final String BASE_URL_PROPERTY = "spherenet.data.baseUrl";

    private static final Logger logger = LoggerFactory.getLogger(DataLocator.class);
    private static final Map<Path, String> VERIFIED = new ConcurrentHashMap<>();

    private final Path dataRoot;
    private final Path homeRoot;
    private final String baseUrl;
    private final boolean systemDirs;
    private final boolean verify;

    /**
     * Creates a locator with explicit roots (tests, embedding applications).
     *
     * @param dataRoot the {@code SPHERENET_DATA} folder, or null
     * @param homeRoot the per-user folder, normally {@code ~/.spherenet/data}
     * @param baseUrl a download base URL replacing the datasets' own, or null
     * @param systemDirs whether to look in the OS package folders
     */
    public DataLocator(Path dataRoot, Path homeRoot, String baseUrl, boolean systemDirs) {
        this(dataRoot, homeRoot, baseUrl, systemDirs, true);
    }

    private DataLocator(
            Path dataRoot, Path homeRoot, String baseUrl, boolean systemDirs, boolean verify) {
        this.dataRoot = dataRoot;
        this.homeRoot = homeRoot;
        this.baseUrl = baseUrl;
        this.systemDirs = systemDirs;
        this.verify = verify;
    }

    /**
     * Returns the locator configured by the environment: {@code SPHERENET_DATA}, the user's home,
     * the system property {@value #BASE_URL_PROPERTY}.
     *
     * @return the locator
     */
    public static DataLocator fromEnvironment() {
        String env = System.getenv(DATA_ENV);
        return new DataLocator(
                env == null || env.isBlank() ? null : Path.of(env),
                Path.of(System.getProperty("user.home"), ".spherenet", "data"),
                System.getProperty(BASE_URL_PROPERTY),
                true);
    }

    /**
     * Returns a copy downloading from {@code url} instead of the datasets' mirrors.
     *
     * @param url the base URL, or null for the datasets' own
     * @return the changed locator
     */
    public DataLocator withBaseUrl(String url) {
        return new DataLocator(dataRoot, homeRoot, url, systemDirs, verify);
    }

    /**
     * Returns a copy that does (default) or does not verify files found locally; downloads are
     * always verified. Turn it off for modified copies of a dataset, or files written by tests.
     *
     * @param verify whether to verify local files
     * @return the changed locator
     */
    public DataLocator withVerification(boolean verify) {
        return new DataLocator(dataRoot, homeRoot, baseUrl, systemDirs, verify);
    }

    /**
     * Returns the folder holding {@code source}, verified, downloading it when it is nowhere.
     *
     * @param source the dataset
     * @param explicitDir the folder given by the user ({@code --data}), or null
     * @return a folder for which {@link DataSource#isCompleteIn} holds
     * @throws DataException if the data is missing and cannot be downloaded, or fails verification
     */
    public Path locate(DataSource source, Path explicitDir) {
        if (explicitDir != null) {
            for (Path dir : List.of(explicitDir.resolve(source.name()), explicitDir)) {
                if (source.isCompleteIn(dir)) {
                    return verified(source, dir);
                }
            }
            throw new DataException(
                    explicitDir,
                    "no "
                            + source.name()
                            + " data here or in "
                            + explicitDir.resolve(source.name())
                            + " (need "
                            + wanted(source)
                            + ")");
        }
        for (Path dir : candidates(source)) {
            if (source.isCompleteIn(dir)) {
                logger.debug("{} found in {}", source.name(), dir);
                return verified(source, dir);
            }
        }
        Path target = downloadDir(source);
        download(source, target);
        return verified(source, target); // also checks files that were there before
    }

    /**
     * Returns the folder a download of {@code source} goes to.
     *
     * @param source the dataset
     * @return {@code $SPHERENET_DATA/<name>} or {@code ~/.spherenet/data/<name>}
     */
    public Path downloadDir(DataSource source) {
        return (dataRoot != null ? dataRoot : homeRoot).resolve(source.name());
    }

    private List<Path> candidates(DataSource source) {
        List<Path> dirs = new ArrayList<>();
        if (dataRoot != null) {
            dirs.add(dataRoot.resolve(source.name()));
        }
        dirs.add(homeRoot.resolve(source.name()));
        if (systemDirs) {
            dirs.addAll(source.systemDirs());
        }
        return dirs;
    }

    /** Verifies the archive if present, otherwise every file. */
    private Path verified(DataSource source, Path dir) {
        if (!verify) {
            return dir;
        }
        Path archive = source.findArchive(dir);
        if (archive != null) {
            verifyOnce(archive, source.archive(), true);
            return dir;
        }
        for (DataFile file : source.files()) {
            Path path = source.find(dir, file);
            verifyOnce(path, file, path.getFileName().toString().equals(file.name()));
        }
        return dir;
    }

    /**
     * Verifies a file unless this JVM already verified it with the same size and modification
     * time (the train and test splits of one run would otherwise check the same files twice).
     */
    private static void verifyOnce(Path file, DataFile expected, boolean published) {
        String stamp;
        try {
            stamp = Files.size(file) + "@" + Files.getLastModifiedTime(file) + "/" + expected;
        } catch (IOException e) {
            throw new DataException(file, "cannot read: " + e.getMessage(), e);
        }
        Path key = file.toAbsolutePath().normalize();
        if (!stamp.equals(VERIFIED.get(key))) {
            Checksums.verify(file, expected, published);
            VERIFIED.put(key, stamp);
        }
    }

    /** Downloads the archive, or each missing file, into {@code target}. */
    private void download(DataSource source, Path target) {
        List<DataFile> missing =
                source.archive() != null
                        ? List.of(source.archive())
                        : source.files().stream()
                                .filter(f -> source.find(target, f) == null)
                                .collect(Collectors.toList());
        List<String> mirrors = baseUrl != null ? List.of(withSlash(baseUrl)) : source.mirrors();
        if (mirrors.isEmpty()) {
            throw new DataException(
                    target, "missing " + source.name() + " data; " + howToGet(source, target));
        }
        for (DataFile file : missing) {
            IOException last = null;
            for (String mirror : mirrors) {
                try {
                    Downloader.download(mirror + file.name(), target.resolve(file.name()), file);
                    last = null;
                    break;
                } catch (IOException e) {
                    logger.warn("download of {}{} failed: {}", mirror, file.name(), e.toString());
                    last = e;
                }
            }
            if (last != null) {
                throw new DataException(
                        target,
                        "cannot download "
                                + source.name()
                                + " from "
                                + mirrors.get(mirrors.size() - 1)
                                + " ("
                                + last
                                + "); "
                                + howToGet(source, target),
                        last);
            }
        }
    }

    private static String howToGet(DataSource source, Path target) {
        return "to get the data, "
                + (source.installHint() != null ? source.installHint() + ", or " : "")
                + "put "
                + wanted(source)
                + " in "
                + target
                + " (or in a folder you pass with --data DIR)";
    }

    private static String wanted(DataSource source) {
        String files =
                source.files().stream().map(DataFile::name).collect(Collectors.joining(", "));
        return source.archive() == null ? files : source.archive().name() + " or " + files;
    }

    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }
}
