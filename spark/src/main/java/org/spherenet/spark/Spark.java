package org.spherenet.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Starts the Spark context the commands run on. */
final class Spark {

    /** Attempts per task, so that a lost task costs a retry (local masters take it in the URL). */
    static final int TASK_ATTEMPTS = 4;

    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)]");

    private Spark() {}

    /**
     * A context on {@code master}: {@code local[N]} (in this JVM; retried as {@code local[N,4]},
     * since plain local mode never retries a task), {@code local-cluster[...]},
     * {@code spark://host:port}, {@code yarn}, {@code k8s://...}. Settings given to spark-submit
     * (or as {@code -Dspark.*} properties) are kept.
     */
    static JavaSparkContext start(String master, String appName) {
        SparkConf conf = new SparkConf()
                .setMaster(withRetries(master))
                .setAppName(appName)
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.task.maxFailures", String.valueOf(TASK_ATTEMPTS));
        JavaSparkContext context = new JavaSparkContext(conf);
        context.setLogLevel("WARN");
        return context;
    }

    static String withRetries(String master) {
        Matcher local = LOCAL.matcher(master);
        return local.matches() ? "local[" + local.group(1) + "," + TASK_ATTEMPTS + "]" : master;
    }

    /** One line for a master that Spark would refuse, before anything starts. */
    static void checkMaster(String master) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("--spark needs a master: local[N], local-cluster[W,C,MB], spark://HOST:PORT, yarn, ...");
        }
    }
}
