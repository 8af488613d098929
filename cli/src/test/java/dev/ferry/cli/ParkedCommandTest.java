package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.cli.JobsCommandTest.Run;
import dev.ferry.messages.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@code ferry parked ...} presents the admin API's answers (the API itself is tested against RabbitMQ
 * in api-gateway). The stand-in answers with bodies shaped exactly as the api-gateway's.
 */
class ParkedCommandTest {
    private static final String SUMMARY = "{\"id\": \"p-1\", \"reason\": \"unknown method 'frobnicate'\", "
            + "\"parked_at\": \"2026-11-24T21:00:00Z\", \"parked_by\": \"node-a\", "
            + "\"original_exchange\": \"openstack\", \"original_routing_key\": \"manila-data\", "
            + "\"original_queue\": \"manila-data\", \"method\": \"frobnicate\", \"request_id\": \"req-1\", "
            + "\"content_type\": \"application/json\", \"size\": 42}";
    private HttpServer server;
    private final Map<String, String> requests = new ConcurrentHashMap<>();
    private final Map<String, String> answers = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        answers.put("GET /admin/parked", "{\"parked\": [" + SUMMARY + ", {\"id\": \"p-2\", "
                + "\"reason\": \"body is not JSON\\n at line 1\", "
                + "\"parked_at\": \"2026-11-24T21:01:00Z\", \"parked_by\": \"node-b\", \"original_exchange\": \"\", "
                + "\"original_routing_key\": \"manila-data\", \"original_queue\": \"manila-data\", \"method\": null, "
                + "\"request_id\": null, \"content_type\": \"text/plain\", \"size\": 3}], \"truncated\": false}");
        answers.put("GET /admin/parked/p-1", "{\"parked\": " + SUMMARY.substring(0, SUMMARY.length() - 1)
                + ", \"headers\": {\"x-ferry-parked-id\": \"p-1\", \"x-ferry-deliveries\": 3}, \"properties\": {}, "
                + "\"body\": \"{...}\", \"body_encoding\": \"utf-8\", \"message\": {\"method\": \"frobnicate\", "
                + "\"args\": {}}}}");
        answers.put("POST /admin/parked/replay", "{\"replayed\": [\"p-1\"], \"not_found\": [\"missing\"], "
                + "\"failed\": [{\"id\": \"p-2\", \"reason\": \"the broker could not route it (NO_ROUTE)\"}]}");
        answers.put("POST /admin/parked/purge", "{\"purged\": [\"p-1\", \"p-2\"], \"not_found\": []}");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        requests.put(key, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        String body = answers.getOrDefault(key, "{\"itemNotFound\": {\"code\": 404, \"message\": \"No message with id "
                + "nope is parked in ferry-parked. List them with GET /admin/parked.\"}}");
        int status = "admin:admin".equals(token) ? (answers.containsKey(key) ? 200 : 404) : 401;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Run ferry(String... args) {
        return JobsCommandTest.ferry(Map.of("FERRY_API_URL", "http://127.0.0.1:" + server.getAddress().getPort()),
                args);
    }

    @Test
    void listIsATableOfWhyAndWhereFrom() {
        Run run = ferry("parked", "list");

        assertEquals(0, run.status(), run.err());
        List<String> lines = run.lines();
        assertEquals(3, lines.size(), run.out());
        assertTrue(lines.get(0).matches("ID +PARKED AT +BY +METHOD +FROM +REASON"), lines.get(0));
        assertTrue(lines.get(1).matches("p-1 +2026-11-24T21:00:00Z +node-a +frobnicate +openstack/manila-data "
                + "+unknown method 'frobnicate'"), lines.get(1));
        assertTrue(lines.get(2).matches("p-2 +2026-11-24T21:01:00Z +node-b +- +\\(default\\)/manila-data "
                + "+body is not JSON at line 1"), lines.get(2));
    }

    @Test
    void showGivesFieldsHeadersAndTheDecodedMessage() {
        Run run = ferry("parked", "show", "p-1");

        assertEquals(0, run.status(), run.err());
        List<String> lines = run.lines();
        assertTrue(lines.stream().anyMatch(l -> l.matches("reason +unknown method 'frobnicate'")), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("size +42 bytes")), run.out());
        assertTrue(lines.contains("  x-ferry-deliveries: 3"), run.out());
        assertTrue(lines.contains("Message (decoded from the oslo envelope):"), run.out());
        assertTrue(run.out().contains("\"method\" : \"frobnicate\""), run.out());

        Run missing = ferry("parked", "show", "nope");
        assertEquals(1, missing.status());
        assertEquals("ferry: No message with id nope is parked in ferry-parked. List them with GET /admin/parked. "
                + "(HTTP 404)", missing.err().strip());
    }

    @Test
    void replaySaysWhatItDidAndExits1WhenNotEverythingWasReplayed() throws Exception {
        Run run = ferry("parked", "replay", "p-1", "missing", "p-2");

        assertEquals(1, run.status(), run.err());
        assertEquals(List.of("replayed 1 of 3 messages: p-1; not found: missing; not replayed (still parked): 1",
                "  p-2: the broker could not route it (NO_ROUTE)"), run.lines());
        assertEquals(List.of("p-1", "missing", "p-2"), List.of(Json.parse(requests.get("POST /admin/parked/replay"))
                .path("ids").get(0).asText(), Json.parse(requests.get("POST /admin/parked/replay")).path("ids").get(1)
                .asText(), Json.parse(requests.get("POST /admin/parked/replay")).path("ids").get(2).asText()));
    }

    @Test
    void purgeAllSaysWhatItPurged() throws Exception {
        Run run = ferry("parked", "purge", "--all");

        assertEquals(0, run.status(), run.err());
        assertEquals("purged 2 of 2 messages: p-1, p-2", run.out().strip());
        assertTrue(Json.parse(requests.get("POST /admin/parked/purge")).path("all").asBoolean());
    }

    @Test
    void replayAndPurgeNeedIdsOrAllButNotBoth() {
        for (String action : List.of("replay", "purge")) {
            Run neither = ferry("parked", action);
            assertEquals(2, neither.status());
            assertTrue(neither.err().contains("say which messages: give their ids (see ferry parked list) or --all"),
                    neither.err());
            Run both = ferry("parked", action, "p-1", "--all");
            assertEquals(2, both.status());
            assertTrue(both.err().contains("give either message ids or --all, not both"), both.err());
        }
        assertTrue(requests.isEmpty(), "nothing was sent: " + requests);
    }
}
