package dev.ferry.cli;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ferry} command: the production processes and the operator commands. {@code ferry dev} lives in the
 * development jar ({@code dev.ferry.dev.FerryDev}), which adds it to this command line.
 */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = BuildInfo.Provider.class,
        description = "Restores file-share backups in place or out of place (Manila's share-backup API).",
        subcommands = {ApiCommand.class, DataManagerCommand.class, ShareCommand.class, JobsCommand.class,
            ParkedCommand.class, TokenCommand.class, VersionCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class})
public final class Ferry implements Runnable {
    private final Map<String, String> environment;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** {@code environment} is what the operator commands read their settings from (besides the file). */
    public Ferry(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        System.exit(execute(() -> commandLine(System.getenv()).addSubcommand(new DevNotInThisJar()), args));
    }

    /**
     * Runs the command line {@code commandLine} makes as a process's main command; returns 2 at once, before
     * anything is made or logs, when {@code FERRY_LOG_FORMAT} names no format logback.xml has.
     */
    public static int execute(Supplier<CommandLine> commandLine, String[] args) {
        Optional<String> badLogFormat = LogFormat.problem(System.getenv());
        if (badLogFormat.isPresent()) {
            System.err.println(badLogFormat.get());
            return 2;
        }
        return commandLine.get().execute(args);
    }

    /**
     * The command line over {@code environment}; tests give their own and capture its output. A command that
     * fails logs one ERROR line with the failure's cause chain (its stack trace only at DEBUG) and exits 1.
     */
    public static CommandLine commandLine(Map<String, String> environment) {
        return new CommandLine(new Ferry(environment)).setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            LoggerFactory.getLogger(Ferry.class).error("ferry {} failed", commandLine.getCommandName(), failure);
            return 1;
        });
    }

    Map<String, String> environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
