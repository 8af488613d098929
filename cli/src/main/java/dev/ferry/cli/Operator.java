package dev.ferry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.messages.Json;
import java.io.IOException;
import java.io.PrintWriter;
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

    /** The {@code -f/--format} option of every operator command. */
    static final class FormatOption {
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        private CommandSpec spec;

        @CommandLine.Option(names = {"-f", "--format"}, defaultValue = "table", paramLabel = "table|json",
                description = "Output: a readable table (default) or the API's JSON.")
        private String format;

        boolean json() {
            return switch (format) {
                case "json" -> true;
                case "table" -> false;
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown format '" + format + "': use -f table or -f json");
            };
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

    static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
