package org.spherenet.spark;

import org.spherenet.cli.SphereNetCli;
import picocli.CommandLine;

/**
 * The {@code spherenet} command with {@code train} and {@code experiment} on Spark (they take
 * {@code --spark MASTER}); the other commands as usual. {@code bin/spherenet} starts it when a
 * command line holds {@code --spark}; {@code spark-submit} starts it from the shaded jar.
 */
public final class SparkCli {

    private SparkCli() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        CommandLine cli = SphereNetCli.commandLine();
        cli.getCommandSpec().removeSubcommand("train");
        cli.getCommandSpec().removeSubcommand("experiment");
        cli.addSubcommand("train", new SparkTrainCommand());
        cli.addSubcommand("experiment", new SparkExperimentCommand());
        return cli.execute(args);
    }
}
