package org.spherenet.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.spherenet.experiment.TrialRunner;

/**
 * Run folders and results on a Hadoop file system ({@code hdfs://}, {@code s3a://}, {@code file://}):
 * {@code URI/runs/NAME/} and {@code URI/results/}. A run is uploaded when it finished, under a
 * temporary name renamed into place, so the store only ever holds finished runs.
 */
final class RunStore {

    private final String uri;
    private final FileSystem fs;
    private final org.apache.hadoop.fs.Path runs;
    private final org.apache.hadoop.fs.Path results;

    private RunStore(String uri, Configuration conf) throws IOException {
        this.uri = uri;
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(uri);
        this.fs = root.getFileSystem(conf);
        this.runs = new org.apache.hadoop.fs.Path(root, "runs");
        this.results = new org.apache.hadoop.fs.Path(root, "results");
    }

    static RunStore of(String uri, Configuration conf) throws IOException {
        if (new org.apache.hadoop.fs.Path(uri).toUri().getScheme() == null) {
            throw new IllegalArgumentException("--store " + uri + ": give a URI with a scheme (hdfs://, s3a://, file:///)");
        }
        return new RunStore(uri, conf);
    }

    String uri() {
        return uri;
    }

    /** Copies the finished runs of the store that {@code localRuns} lacks into it. */
    void download(Path localRuns) throws IOException {
        Files.createDirectories(localRuns);
        if (!fs.exists(runs)) {
            return;
        }
        for (FileStatus run : fs.listStatus(runs)) {
            String name = run.getPath().getName();
            if (run.isDirectory() && !name.startsWith(".") && !TrialRunner.isFinished(localRuns.resolve(name))) {
                Path target = localRuns.resolve(name);
                deleteLocal(target);
                fs.copyToLocalFile(false, run.getPath(), new org.apache.hadoop.fs.Path(target.toUri()), true);
            }
        }
    }

    /** Copies run {@code name} from the store into {@code dir}, if the store has it. */
    void fetchRun(String name, Path dir) throws IOException {
        org.apache.hadoop.fs.Path run = new org.apache.hadoop.fs.Path(runs, name);
        if (fs.exists(run)) {
            fs.copyToLocalFile(false, run, new org.apache.hadoop.fs.Path(dir.toUri()), true);
        }
    }

    /** Uploads a finished run folder (temporary name, then rename). */
    void uploadRun(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        org.apache.hadoop.fs.Path temporary = new org.apache.hadoop.fs.Path(runs, "." + name + ".uploading");
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(runs, name);
        fs.delete(temporary, true);
        fs.mkdirs(runs);
        FileUtil.copy(dir.toFile(), fs, temporary, false, fs.getConf());
        fs.delete(target, true);
        if (!fs.rename(temporary, target)) {
            throw new IOException(target + ": cannot rename the upload into place");
        }
    }

    /** Uploads the results folder (report, results.json, plots). */
    void uploadResults(Path localResults) throws IOException {
        if (Files.isDirectory(localResults)) {
            fs.delete(results, true);
            FileUtil.copy(localResults.toFile(), fs, results, false, fs.getConf());
        }
    }

    private static void deleteLocal(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
