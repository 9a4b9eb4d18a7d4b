package org.spherenet.cli;

import java.util.concurrent.Callable;
import org.spherenet.data.DataException;
import org.spherenet.train.CheckpointException;
import org.spherenet.train.RunFolderException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spherenet} command. */
@Command(
        name = "spherenet",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Deep hyperspherical learning (SphereNet, NIPS 2017) on the JVM.",
        subcommands = {
            TrainCommand.class,
            EvalCommand.class,
            PredictCommand.class,
            ModelsCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SphereNetCli implements Callable<Integer> {

    /** Exit code for a user mistake: a bad flag, a missing file, bad data. */
    static final int USAGE = 2;

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new SphereNetCli());
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (isUserMistake(e)) {
                        commandLine.getErr().println("spherenet: " + oneLine(e.getMessage()));
                        return USAGE;
                    }
                    throw e;
                });
        return cli.execute(args);
    }

    private static boolean isUserMistake(Exception e) {
        return e instanceof DataException
                || e instanceof CheckpointException
                || e instanceof RunFolderException
                || e instanceof IllegalArgumentException
                || e instanceof java.nio.file.NoSuchFileException;
    }

    static String oneLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
