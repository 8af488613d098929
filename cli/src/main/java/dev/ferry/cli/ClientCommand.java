package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.output.Listing;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command in the OpenStack client's shape: it calls Manila's API (at {@code --url}, else FERRY_API_URL, with
 * {@code --token}, else FERRY_API_TOKEN) and prints with {@code -f} and {@code -c}. A failure prints its message
 * on stderr and exits 1.
 */
abstract class ClientCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ApiOptions connection;

    @CommandLine.Mixin
    OutputOptions output;

    @Override
    public final Integer call() {
        output.format(); // a bad -f is refused before anything is sent
        return Operator.run(spec, connection, this::run);
    }

    abstract int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure;

    /** Where {@code --wait} shows progress: stdout for a table, stderr when the output is for a program. */
    Progress progress() {
        PrintWriter to = output.table() ? spec.commandLine().getOut() : spec.commandLine().getErr();
        return Progress.on(to, System.console() != null);
    }

    Waiter waiter() {
        return new Waiter(Waiter.INTERVAL);
    }

    /** An API object as the OpenStack client shows one: its fields sorted by name, without {@code links}. */
    static Listing record(JsonNode object) {
        Map<String, JsonNode> fields = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!"links".equals(field.getKey())) {
                fields.put(field.getKey(), field.getValue());
            }
        }
        return Listing.record(fields);
    }

    /** A failed wait: the work's user message when there is one, else what the statuses say. */
    static int failed(PrintWriter err, String what, Optional<String> message, String statuses) {
        err.println("ferry: " + what + " failed (" + statuses + ")" + message.map(m -> ": " + m)
                .orElse("; no user message says why (see GET /v2/messages, or ferry jobs list)"));
        err.flush();
        return Operator.FAILED;
    }

    /** The status of {@code resource} {@code id}, or {@code gone}. */
    static String status(ApiClient api, Resource resource, String id) throws ApiClient.ApiFailure {
        return resource.byId(api, id).map(o -> o.path("status").asText()).orElse("gone");
    }

    /**
     * Deletes each of {@code namesOrIds} (each a {@code noun} of {@code resource}); with {@code wait}, waits until each
     * is gone. A wait that ends in an error status prints the user message (or the status) and makes the exit 1.
     */
    int deleteEach(ApiClient api, Resource resource, String noun, List<String> namesOrIds, boolean wait)
            throws ApiClient.ApiFailure {
        int exit = 0;
        for (String nameOrId : namesOrIds) {
            String id = resource.find(api, nameOrId).path("id").asText();
            UserMessages messages = UserMessages.before(api, id);
            api.delete(resource.path(id));
            if (wait && waiter().await(() -> gone(api, resource, id), progress()) == Waiter.Outcome.FAILED) {
                exit = failed(spec.commandLine().getErr(), "deleting " + noun + " " + id, messages.newest(),
                        noun + " " + status(api, resource, id));
            }
        }
        return exit;
    }

    private static Waiter.State gone(ApiClient api, Resource resource, String id) throws ApiClient.ApiFailure {
        Optional<JsonNode> object = resource.byId(api, id);
        if (object.isEmpty()) {
            return new Waiter.State(100, Waiter.Outcome.SUCCEEDED);
        }
        return object.get().path("status").asText().startsWith("error")
                ? new Waiter.State(null, Waiter.Outcome.FAILED) : Waiter.State.running(null);
    }
}
