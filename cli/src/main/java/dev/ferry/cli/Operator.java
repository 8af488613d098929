package dev.ferry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.output.Format;
import dev.ferry.cli.output.Listing;
import dev.ferry.messages.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the operator commands share: the admin API client built from the settings ({@link Settings} over
 * the environment {@link Ferry} was started with), the output streams, the {@code -f} option, and turning
 * a failed request into its message on stderr and exit status 1.
 */
final class Operator {
    static final int FAILED = 1;

    private Operator() {
    }

    /** An action against the admin API that prints what it did; returns the exit status. */
    @FunctionalInterface
    interface Action {
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure;
    }

    /**
     * {@code -f/--format} and {@code -c/--column} of the operator commands: {@code table} (default) is their own
     * readable text, {@code json} the admin API's document as it came; {@code value}, {@code yaml} and {@code csv}
     * print a list's rows (or a show's fields), as the OpenStack client's formats do, with {@code -c} choosing columns.
     */
    static final class FormatOption {
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        private CommandSpec spec;

        @CommandLine.Option(names = {"-f", "--format"}, defaultValue = "table", paramLabel = "FORMAT",
                description = "Output: table (default, readable), json (the API's document), or a list's rows "
                        + "(a show's fields) as value, yaml or csv.")
        private String format;

        @CommandLine.Option(names = {"-c", "--column"}, paramLabel = "COLUMN",
                description = "Only this column (repeat for more; the table's header names) with -f table, value, "
                        + "yaml or csv.")
        private List<String> columns = new ArrayList<>();

        Format format() {
            try {
                return Format.named(format);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        boolean json() {
            return format() == Format.JSON;
        }

        /** For commands that print a report: only table or json. */
        boolean jsonOrTable() {
            Format chosen = format();
            if (chosen != Format.JSON && chosen != Format.TABLE) {
                throw new CommandLine.ParameterException(spec.commandLine(), "ferry " + spec.qualifiedName()
                        .replaceFirst("^ferry ", "") + " prints a report: use -f table or -f json");
            }
            return chosen == Format.JSON;
        }

        /** A list's rows: a plain {@link Table}, or {@code none} when empty, for -f table; else the format's. */
        void rows(Listing listing, PrintWriter out, String none) {
            Listing selected = select(listing);
            if (format() != Format.TABLE) {
                format().print(selected, out);
                return;
            }
            if (selected.rows().isEmpty()) {
                out.println(none);
                return;
            }
            Table table = new Table(selected.columns().toArray(String[]::new));
            for (List<JsonNode> row : selected.rows()) {
                table.row(row.stream().map(v -> v.isNull() ? null : v.asText()).toArray(String[]::new));
            }
            table.print(out);
        }

        /** One object's fields (API names), for -f value, yaml and csv. */
        void fields(JsonNode object, PrintWriter out) {
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            object.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue()));
            format().print(select(Listing.record(fields)), out);
        }

        private Listing select(Listing listing) {
            try {
                return listing.select(columns);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }

    static int run(CommandSpec spec, Action action) {
        return run(spec, null, action);
    }

    /** Runs {@code action} against the API that {@code options} (may be null), else the settings, name. */
    static int run(CommandSpec spec, ApiOptions options, Action action) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Ferry root = (Ferry) spec.root().userObject();
            Map<String, String> settings = Settings.load(root.environment());
            return action.run(ApiClient.fromSettings(options == null ? settings : options.over(settings)), out);
        } catch (ApiClient.ApiFailure e) {
            err.println("ferry: " + e.getMessage());
            return FAILED;
        } catch (IOException e) {
            err.println("ferry: cannot read the settings: " + e.getMessage());
            return FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A table cell's text as a value for the other formats (null stays null). */
    static JsonNode cell(String text) {
        return text == null ? com.fasterxml.jackson.databind.node.NullNode.instance
                : com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
    }

    static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
