package dev.ferry.cli;

import dev.ferry.cli.output.Format;
import dev.ferry.cli.output.Listing;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code -f/--format} and {@code -c/--column} of every command that prints something, as in the OpenStack client. */
final class OutputOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandSpec spec;

    @CommandLine.Option(names = {"-f", "--format"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "Output format: table (default), json, value, yaml or csv.")
    private String format;

    @CommandLine.Option(names = {"-c", "--column"}, paramLabel = "COLUMN",
            description = "Print only this column (repeat for more); the names are those of the table's header "
                    + "or Field column.")
    private List<String> columns = new ArrayList<>();

    /** The format asked for; checked before anything is sent, so a typo changes nothing. */
    Format format() {
        try {
            return Format.named(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    boolean table() {
        return format() == Format.TABLE;
    }

    boolean json() {
        return format() == Format.JSON;
    }

    /** Prints {@code listing}'s asked-for columns in the asked-for format. */
    void print(Listing listing, PrintWriter out) {
        Listing selected;
        try {
            selected = listing.select(columns);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        format().print(selected, out);
    }
}
