package dev.ferry.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ferry} command: the production processes and the operator commands. {@code ferry dev} lives in the
 * development jar ({@code dev.ferry.dev.FerryDev}), which adds it to this command line.
 */
@Command(name = "ferry", mixinStandardHelpOptions = true, version = "ferry 0.1.0",
        description = "Restores file-share backups in place or out of place (Manila's share-backup API).",
        subcommands = {ApiCommand.class, DataManagerCommand.class, JobsCommand.class, ParkedCommand.class})
public final class Ferry implements Runnable {
    private final Map<String, String> environment;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** {@code environment} is what the operator commands read their settings from (besides the file). */
    public Ferry(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).addSubcommand(new DevNotInThisJar()).execute(args));
    }

    /** The command line over {@code environment}; tests give their own and capture its output. */
    public static CommandLine commandLine(Map<String, String> environment) {
        return new CommandLine(new Ferry(environment));
    }

    Map<String, String> environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
