package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.output.Format;
import dev.ferry.cli.output.Listing;
import dev.ferry.messages.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ferry parked}: the messages data nodes could not process, in the ferry-parked queue. */
@Command(name = "parked", mixinStandardHelpOptions = true,
        description = "Lists, shows, replays or purges the messages data nodes parked (bad JSON, unknown "
                + "method or version, wrong arguments, too many deliveries). Calls the admin API at FERRY_API_URL "
                + "with FERRY_API_TOKEN (an admin's).",
        subcommands = {ParkedCommand.ListParked.class, ParkedCommand.ShowParked.class, ParkedCommand.Replay.class,
            ParkedCommand.Purge.class})
final class ParkedCommand implements Runnable {
    @CommandLine.Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists parked messages, oldest first.")
    static final class ListParked implements Callable<Integer> {
        @CommandLine.Spec
        private CommandSpec spec;

        @CommandLine.Mixin
        private Operator.FormatOption format;

        @CommandLine.Mixin
        private ApiOptions api;

        @Override
        public Integer call() {
            boolean json = format.json();
            boolean table = format.format() == Format.TABLE;
            return Operator.run(spec, api, (client, out) -> {
                JsonNode answer = client.get("/admin/parked");
                if (json) {
                    Operator.printJson(out, answer);
                    return 0;
                }
                List<List<JsonNode>> rows = new ArrayList<>();
                for (JsonNode message : answer.path("parked")) {
                    rows.add(Stream.of(Table.text(message, "id"), Table.text(message, "parked_at"),
                            Table.text(message, "parked_by"), Table.text(message, "method"), origin(message),
                            Table.text(message, "reason")).map(Operator::cell).toList());
                }
                format.rows(Listing.list(List.of("ID", "PARKED AT", "BY", "METHOD", "FROM", "REASON"), rows), out,
                        "No messages are parked.");
                if (!table) {
                    return 0;
                }
                if (answer.path("truncated").asBoolean(false)) {
                    out.println("Only the first " + answer.path("parked").size() + " parked messages are shown; "
                            + "there are more.");
                }
                return 0;
            });
        }

        private static String origin(JsonNode message) {
            String exchange = Table.text(message, "original_exchange");
            String key = Table.text(message, "original_routing_key");
            if (exchange == null && key == null) {
                return null;
            }
            return (exchange == null || exchange.isEmpty() ? "(default)" : exchange) + "/" + (key == null ? "" : key);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows one parked message: why and where it was parked, its headers and its body.")
    static final class ShowParked implements Callable<Integer> {
        @CommandLine.Spec
        private CommandSpec spec;

        @CommandLine.Parameters(paramLabel = "ID", description = "The parked message's id (see ferry parked list).")
        private String id;

        @CommandLine.Mixin
        private Operator.FormatOption format;

        @CommandLine.Mixin
        private ApiOptions api;

        @Override
        public Integer call() {
            boolean json = format.json();
            boolean table = format.format() == Format.TABLE;
            return Operator.run(spec, api, (client, out) -> {
                JsonNode answer = client.get("/admin/parked/" + ApiClient.encode(id));
                if (json) {
                    Operator.printJson(out, answer);
                } else if (table) {
                    print(answer.path("parked"), out);
                } else {
                    format.fields(answer.path("parked"), out);
                }
                return 0;
            });
        }

        private static void print(JsonNode message, PrintWriter out) {
            Table fields = new Table("FIELD", "VALUE");
            fields.row("id", Table.text(message, "id"));
            fields.row("reason", Table.text(message, "reason"));
            fields.row("parked at", Table.text(message, "parked_at"));
            fields.row("parked by", Table.text(message, "parked_by"));
            fields.row("original exchange", Table.text(message, "original_exchange"));
            fields.row("original routing key", Table.text(message, "original_routing_key"));
            fields.row("original queue", Table.text(message, "original_queue"));
            fields.row("method", Table.text(message, "method"));
            fields.row("request id", Table.text(message, "request_id"));
            fields.row("content type", Table.text(message, "content_type"));
            fields.row("size", Table.text(message, "size") + " bytes");
            fields.print(out);
            out.println();
            out.println("Headers:");
            for (Iterator<Map.Entry<String, JsonNode>> it = message.path("headers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> header = it.next();
                JsonNode value = header.getValue();
                out.println("  " + header.getKey() + ": " + (value.isValueNode() ? value.asText() : value.toString()));
            }
            out.println();
            JsonNode decoded = message.path("message");
            if (decoded.isObject()) {
                out.println("Message (decoded from the oslo envelope):");
                Operator.printJson(out, decoded);
            } else if ("base64".equals(Table.text(message, "body_encoding"))) {
                out.println("Body (not UTF-8 text; base64):");
                out.println(Table.text(message, "body"));
            } else {
                out.println("Body:");
                out.println(Table.text(message, "body"));
            }
        }
    }

    /** The messages a replay or purge acts on: ids, or --all. */
    abstract static class Selected implements Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Parameters(arity = "0..*", paramLabel = "ID", description = "Ids of parked messages.")
        List<String> ids = new ArrayList<>();

        @CommandLine.Option(names = "--all", description = "Every parked message.")
        boolean all;

        @CommandLine.Mixin
        Operator.FormatOption format;

        @CommandLine.Mixin
        ApiOptions api;

        ObjectNode selection() {
            if (all == !ids.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), all
                        ? "give either message ids or --all, not both"
                        : "say which messages: give their ids (see ferry parked list) or --all");
            }
            ObjectNode body = Json.object();
            if (all) {
                body.put("all", true);
            } else {
                ids.forEach(body.putArray("ids")::add);
            }
            return body;
        }

        /** "replayed 2 of 3 messages: a, b; not found: c"; exit status 1 unless every selected one was done. */
        int report(PrintWriter out, String verb, JsonNode done, JsonNode notFound, JsonNode failed) {
            int selected = all ? done.size() + failed.size() : ids.size();
            StringBuilder line = new StringBuilder(verb).append(' ').append(done.size()).append(" of ")
                    .append(selected).append(selected == 1 ? " message" : " messages");
            if (!done.isEmpty()) {
                line.append(": ").append(join(done));
            }
            if (!notFound.isEmpty()) {
                line.append("; not found: ").append(join(notFound));
            }
            if (!failed.isEmpty()) {
                line.append("; not ").append(verb).append(" (still parked): ").append(failed.size());
            }
            out.println(line);
            for (JsonNode failure : failed) {
                out.println("  " + Table.text(failure, "id") + ": " + Table.text(failure, "reason"));
            }
            return notFound.isEmpty() && failed.isEmpty() ? 0 : Operator.FAILED;
        }

        private static String join(JsonNode values) {
            List<String> texts = new ArrayList<>();
            values.forEach(v -> texts.add(v.asText()));
            return String.join(", ", texts);
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Publishes parked messages again to the exchange and routing key they came from "
                    + "(original properties, without the parking headers), then removes them from ferry-parked. "
                    + "Exits 1 when some were not found or could not be replayed.")
    static final class Replay extends Selected {
        @Override
        public Integer call() {
            ObjectNode body = selection();
            boolean json = format.jsonOrTable();
            return Operator.run(spec, api, (client, out) -> {
                JsonNode answer = client.post("/admin/parked/replay", body);
                if (json) {
                    Operator.printJson(out, answer);
                    return answer.path("not_found").isEmpty() && answer.path("failed").isEmpty() ? 0
                            : Operator.FAILED;
                }
                return report(out, "replayed", answer.path("replayed"), answer.path("not_found"),
                        answer.path("failed"));
            });
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = "Removes parked messages for good. Exits 1 when some were not found.")
    static final class Purge extends Selected {
        @Override
        public Integer call() {
            ObjectNode body = selection();
            boolean json = format.jsonOrTable();
            return Operator.run(spec, api, (client, out) -> {
                JsonNode answer = client.post("/admin/parked/purge", body);
                if (json) {
                    Operator.printJson(out, answer);
                    return answer.path("not_found").isEmpty() ? 0 : Operator.FAILED;
                }
                return report(out, "purged", answer.path("purged"), answer.path("not_found"), Json.mapper()
                        .createArrayNode());
            });
        }
    }
}
