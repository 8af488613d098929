package dev.ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one {@code ferry} command: the production processes, the dev system, and user commands. */
@Command(name = "ferry", mixinStandardHelpOptions = true, version = "ferry 0.1.0",
        description = "Restores file-share backups in place or out of place (Manila's share-backup API).",
        subcommands = {ApiCommand.class, DataManagerCommand.class, DevCommand.class})
public final class Ferry implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Ferry()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
