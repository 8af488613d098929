package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the production jar writes to its output: with {@code FERRY_LOG_FORMAT=json} one JSON object per line with
 * the timestamp and its zone, the level, logger, message, request id and the ids of the job a line belongs to; in
 * the default text format lines that start with the date and zone. A failure is one line with its cause; its stack
 * trace only at DEBUG; an unknown format stops the process at start.
 */
class LogFormatIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZONED_TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})";
    private static final Pattern TEXT_FAILURE = Pattern.compile("^" + ZONED_TIME + " ERROR \\[main] Ferry \\[-] "
            + "ferry data-manager failed \\(cause: IOException: cannot connect to RabbitMQ at .*Connection refused; "
            + "caused by ConnectException: Connection refused\\)$");

    @Test
    void aFailureIsOneJsonLineWithItsCauseAndTheStackOnlyAtDebug() throws Exception {
        List<JsonNode> lines = jsonLines(dataNodeAgainstAClosedPort("json-info", Map.of("FERRY_LOG_FORMAT", "json")));
        assertEquals(1, lines.size(), lines::toString);
        JsonNode failure = lines.get(0);
        assertEquals("ERROR", failure.get("level").asText());
        assertEquals("dev.ferry.cli.Ferry", failure.get("logger").asText());
        assertEquals("ferry data-manager failed", failure.get("message").asText());
        assertTrue(failure.has("request_id"), failure::toString);
        assertTrue(failure.get("error").asText().startsWith("IOException: cannot connect to RabbitMQ")
                && failure.get("error").asText().endsWith("caused by ConnectException: Connection refused"),
                failure::toString);
        assertFalse(failure.has("stack_trace"), "no stack trace at INFO: " + failure);

        List<JsonNode> debug = jsonLines(dataNodeAgainstAClosedPort("json-debug",
                Map.of("FERRY_LOG_FORMAT", "json", "FERRY_LOG_LEVEL", "DEBUG")));
        JsonNode debugFailure = debug.stream().filter(l -> l.get("level").asText().equals("ERROR")).findFirst()
                .orElseThrow(() -> new AssertionError("no ERROR line at DEBUG: " + debug));
        assertTrue(debugFailure.get("stack_trace").asText().contains("\tat dev.ferry.messages.amqp.AmqpConnector"),
                debugFailure::toString);
    }

    @Test
    void textLinesStartWithTheDateAndZoneAndAFailureIsOneLine() throws Exception {
        String output = dataNodeAgainstAClosedPort("text", Map.of());
        List<String> lines = output.lines().toList();
        assertEquals(1, lines.size(), output);
        assertTrue(TEXT_FAILURE.matcher(lines.get(0)).matches(), output);
    }

    @Test
    void anUnknownFormatStopsTheProcessAtStartSayingWhatToSet() throws Exception {
        try (FerryProcess node = FerryProcess.start("log-format-xml", Files.createTempDirectory("ferry-log-"),
                Map.of("FERRY_LOG_FORMAT", "xml"), "data-manager")) {
            assertEquals(2, node.awaitExit(Duration.ofSeconds(30)), node::log);
            assertEquals("ferry: FERRY_LOG_FORMAT is 'xml'; set it to text (the default) or json", node.log().strip());
        }
        try (FerryProcess dev = FerryProcess.start("log-format-xml-dev", Files.createTempDirectory("ferry-log-"),
                Map.of("FERRY_LOG_FORMAT", "xml"), "dev")) {
            assertEquals(2, dev.awaitExit(Duration.ofSeconds(30)), dev::log);
            assertEquals("ferry: FERRY_LOG_FORMAT is 'xml'; set it to text (the default) or json", dev.log().strip());
        }
    }

    @Test
    void bothProcessesWriteJsonLinesThatCarryTheRequestAndJobIds() throws Exception {
        Map<String, String> json = Map.of("FERRY_LOG_FORMAT", "json");
        String global = "req-6d0f3a52-8b1e-4f6a-b2c4-91e07d5a3c18";
        String backup;
        String shareId;
        FerryProcess api;
        FerryProcess node;
        try (FerrySystem system = FerrySystem.start("json-logs", true, json)) {
            api = system.api();
            node = system.startDataNode("node-1", json);
            Path export = system.newExport("logged");
            Files.writeString(export.resolve("a.txt"), "logged");
            shareId = system.manageShare("logged", "NFS", export, 1, "p1");
            backup = system.createBackup(system.user("alice", "p1").withHeader("X-OpenStack-Request-Id", global),
                    shareId);
        }
        List<JsonNode> apiLines = jsonLines(api.log());
        List<JsonNode> nodeLines = jsonLines(node.log());
        assertTrue(apiLines.stream().anyMatch(l -> !l.get("request_id").isNull()),
                "an api-gateway line carries a request id:\n" + api.log());
        assertTrue(nodeLines.stream().anyMatch(l -> l.path("backup_id").asText().equals(backup)
                        && l.path("share_id").asText().equals(shareId) && l.hasNonNull("job_id")
                        && !l.get("request_id").isNull()),
                "a data node line carries the job's ids:\n" + node.log());
        assertTrue(nodeLines.stream().anyMatch(l -> l.path("backup_id").asText().equals(backup)
                        && l.path("global_request_id").asText().equals(global)),
                "the data node logs the global request id the backup's request came with:\n" + node.log());
    }

    /** {@code ferry data-manager} with a broker that is not there: it fails at start; its whole output. */
    private static String dataNodeAgainstAClosedPort(String name, Map<String, String> settings) throws Exception {
        Path work = Files.createTempDirectory("ferry-log-");
        Map<String, String> env = new HashMap<>(settings);
        env.put("FERRY_BACKUP_EXPORT", work.toString());
        env.put("FERRY_AMQP_URI", "amqp://guest:guest@127.0.0.1:" + FerrySystem.freePort() + "/");
        env.put("FERRY_HOST", "log-format");
        env.put("FERRY_MANAGEMENT_BIND", "off"); // its start line would come before the failure's
        try (FerryProcess node = FerryProcess.start("log-format-" + name, work, env, "data-manager")) {
            assertEquals(1, node.awaitExit(Duration.ofSeconds(30)), node::log);
            return node.log();
        }
    }

    /** Every line of {@code output} as a JSON object with the fields every line has. */
    private static List<JsonNode> jsonLines(String output) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.lines().toList()) {
            JsonNode parsed;
            try {
                parsed = JSON.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + line + "\nin:\n" + output, e);
            }
            assertTrue(parsed.isObject(), line);
            assertTrue(parsed.path("timestamp").asText().matches(ZONED_TIME), () -> "timestamp with zone: " + line);
            for (String field : List.of("level", "logger", "message")) {
                assertTrue(parsed.hasNonNull(field), () -> field + " in " + line);
            }
            assertTrue(parsed.has("request_id"), () -> "request_id in " + line);
            lines.add(parsed);
        }
        return lines;
    }
}
