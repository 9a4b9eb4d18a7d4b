package org.spherenet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.concurrent.Callable;
import org.spherenet.data.DataException;
import org.spherenet.train.CheckpointException;
import org.spherenet.train.NonFiniteStepException;
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
            ExperimentCommand.class,
            ReportCommand.class,
            BenchCommand.class,
            ParityRecordCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SphereNetCli implements Callable<Integer> {

    /** Exit code for a user mistake: a bad flag, a missing file, bad data. */
    static final int USAGE = 2;

    /**
     * Exit code for a run that failed: a non-finite step with {@code --on-non-finite stop}, or an
     * input/output error such as a full disk.
     */
    static final int FAILED = 1;

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
        return commandLine().execute(args);
    }

    /**
     * The command line with its error handling (one line, exit codes), for tools that add or
     * replace commands (the Spark module).
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SphereNetCli());
        // a bad flag or value: one line (picocli would follow it with the whole usage)
        cli.setParameterExceptionHandler((e, given) -> {
            CommandLine command = e.getCommandLine();
            String suggestions = e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()
                    ? "; did you mean " + String.join(", ", u.getSuggestions()) + "?" : "";
            command.getErr().println("spherenet: " + oneLine(e.getMessage()) + suggestions
                    + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (isUserMistake(e)) {
                        commandLine.getErr().println("spherenet: " + oneLine(e.getMessage()));
                        return USAGE;
                    }
                    if (e instanceof NonFiniteStepException) {
                        commandLine.getErr().println("spherenet: " + oneLine(e.getMessage()));
                        return FAILED;
                    }
                    // the machine's fault rather than the command's (a full disk, a folder that
                    // cannot be written): one line too; the files written before stay intact
                    Throwable io = e instanceof UncheckedIOException ? e.getCause() : e;
                    if (io instanceof IOException) {
                        commandLine.getErr().println("spherenet: " + oneLine(describe((IOException) io)));
                        return FAILED;
                    }
                    throw e;
                });
        return cli;
    }

    private static boolean isUserMistake(Exception e) {
        return e instanceof DataException
                || e instanceof CheckpointException
                || e instanceof RunFolderException
                || e instanceof IllegalArgumentException
                || e instanceof java.nio.file.NoSuchFileException;
    }

    /** "file: reason"; file-system exceptions without a reason get one from their type. */
    static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() == null) {
            String type = f.getClass().getSimpleName().replace("Exception", "")
                    .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
            return f.getFile() + ": " + (type.equals("file system") ? "cannot be used" : type);
        }
        return e.getMessage();
    }

    static String oneLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
