package dev.ferry.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ferry completion}: picocli's bash (and zsh) completion script for every ferry command. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Prints a bash completion script for ferry (zsh too, after autoload -U +X bashcompinit && "
                + "bashcompinit). Load it with: source <(ferry completion)")
final class CompletionCommand implements Runnable {
    @CommandLine.Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("ferry", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
