package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.ApiConfig;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.messages.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sends {@value #REQUESTS} generated bad requests (methods, paths with random IDs, random versions and tokens,
 * random JSON of the wrong shape and random bytes) to every Manila endpoint and checks that none answers 5xx,
 * that every error is a Manila fault body, and that the database is unchanged. The seed is printed; rerun one
 * with {@code -Dferry.fuzz.seed=<seed>}.
 */
class BadRequestFuzzTest extends InProcessGateway {
    private static final int REQUESTS = 10_000;
    private static final String[] TABLES = {"shares", "backups", "jobs", "job_attempts", "outbox", "user_messages",
            "project_locks"};
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH"};
    private static final String[] TOKENS = {"alice:p1", "alice:p1", "alice:p1", "alice:p1", "admin:ops",
            "admin:ops", "bob:p2", "bob:p2", "alice:p1", "admin:ops", "", "garbage", ":", "a:b:c"};
    private static final String[] VERSIONS = {"2.80", "2.85", "2.90", "2.91", "latest", "2.37", "2.36", "2.0", "",
            "3.0", "2.999", "1.9", "abc", "2.", "2.91.1", "99999999999.1", " 2.80 "};
    /** No "share_backup": {"share_backup": {}} is a valid update. */
    private static final String[] KEYS = {"restore", "reset_status", "share", "name", "description",
            "share_id", "status", "backup_options", "backup_type", "", "\u0000", "é", "limit", "share_proto", "size",
            "backup_id", "new_size", "extend", "shrink", "unmanage"};
    /** With the subdir backend on, so share creation's own checks are reached too. */
    @Override
    protected ApiConfig config(ApiConfig noauth) {
        return noauth.withShareBaseExport("/exports/base");
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Random random;
    private String shareId;
    private String backupId;
    private String messageId;

    @Test
    void tenThousandBadRequestsChangeNothingAndNeverFail() throws Exception {
        long seed = Long.getLong("ferry.fuzz.seed", 20_261_124L);
        System.out.println("BadRequestFuzzTest seed=" + seed + " (rerun with -Dferry.fuzz.seed=" + seed + ")");
        random = new Random(seed);
        Share share = f.share("p1", 3, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 3, BackupStatus.ERROR);
        UserMessage message = f.message("p1", share.id(), "028", "032", "req-x", LocalDateTime.now(ZoneOffset.UTC),
                LocalDateTime.now(ZoneOffset.UTC).plusDays(1));
        shareId = share.id();
        backupId = backup.id();
        messageId = message.id();
        Map<String, Long> countsBefore = counts();
        String digestBefore = digest();

        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            String method = METHODS[random.nextInt(METHODS.length)];
            String path = path(method);
            byte[] body = method.equals("GET") && random.nextInt(4) > 0 ? null : body(method, path);
            if (body != null && body.length > 1 << 20) {
                // Jetty refuses a malformed URI before reading the body and closes the connection, which the
                // client reports as an error of its own; oversized bodies go to well-formed paths.
                path = pick("/v2/share-backups", "/v2/share-backups/" + UUID.randomUUID(),
                        "/v2/share-backups/" + UUID.randomUUID() + "/action", "/v2/messages/" + UUID.randomUUID());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            headers(request);
            String what = "#" + i + " " + method + " " + path + " body=" + preview(body);
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new AssertionError(what + " failed: " + e, e);
            }
            int status = response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            String text = new String(response.body(), StandardCharsets.UTF_8);
            if (status >= 500) {
                fail(what + " answered " + status + ": " + text);
            }
            if (status < 400) {
                assertEquals("GET", method, what + " answered " + status + ": " + text);
                continue;
            }
            assertFault(what, status, text);
        }
        System.out.println("BadRequestFuzzTest statuses: " + statuses);
        assertEquals(countsBefore, counts(), "row counts");
        assertEquals(digestBefore, digest(), "a digest of every row");
    }

    private static void assertFault(String what, int status, String text) {
        JsonNode json;
        try {
            json = Json.parse(text);
        } catch (IOException e) {
            throw new AssertionError(what + " answered " + status + " without JSON: " + text, e);
        }
        assertTrue(json.isObject() && json.size() == 1, what + ": " + text);
        String name = json.fieldNames().next();
        assertEquals(Faults.name(status), name, what + ": " + text);
        JsonNode fault = json.get(name);
        assertEquals(status, fault.path("code").asInt(), what + ": " + text);
        assertTrue(fault.path("message").isTextual() && !fault.path("message").asText().isEmpty(), what + ": " + text);
        if (status == 413) {
            assertEquals("0", fault.path("retryAfter").asText(), what);
        }
    }

    private String path(String method) {
        String id = id(method);
        String project = pick("", "", "/p1", "/p2", "/" + UUID.randomUUID());
        String base = "/v2" + project;
        String path = switch (random.nextInt(12)) {
            case 0 -> base + "/share-backups";
            case 1 -> base + "/share-backups/detail";
            case 2, 3 -> base + "/share-backups/" + id;
            case 4, 5 -> base + "/share-backups/" + id + "/action";
            case 6 -> base + "/messages";
            case 7 -> base + "/messages/" + id;
            case 8 -> base + "/shares" + pick("", "/detail", "/manage", "/" + id, "/" + id + "/export_locations",
                    "/" + id + "/export_locations/" + id, "/" + id + "/action");
            case 9 -> pick("/", "/v2", "/healthz", "/admin/jobs", "/admin/jobs/" + id, "/v3/share-backups",
                    "/v2/share-backups/" + id + "/action/more");
            case 10 -> base + "/share-backups/" + id + "/" + word(random.nextInt(8));
            default -> base + pick("/share-backups", "/messages", "/shares", "/share-backups/detail");
        };
        if (random.nextInt(3) == 0) {
            path += "?" + query();
        }
        return path;
    }

    /** A path ID: random UUIDs and garbage; real IDs only where no bad body can change anything. */
    private String id(String method) {
        int choice = random.nextInt(10);
        if (choice == 0) {
            return method.equals("DELETE") ? UUID.randomUUID().toString() : pick(backupId, shareId, messageId);
        }
        return switch (choice) {
            case 1 -> "x".repeat(37 + random.nextInt(300));
            case 2 -> "%00" + word(5);
            case 3 -> "%FF%FE" + word(3);
            case 4 -> "%2F" + word(3);
            case 5 -> word(1 + random.nextInt(40));
            case 6 -> "..";
            case 7 -> "%C3%A9" + UUID.randomUUID();
            default -> UUID.randomUUID().toString();
        };
    }

    private String query() {
        StringBuilder q = new StringBuilder();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                q.append('&');
            }
            String key = pick("limit", "offset", "sort_key", "sort_dir", "marker", "name", "name~", "description~",
                    "status", "share_id", "all_tenants", "host", "id", "resource_id", "action_id", "message_level",
                    word(4));
            String value = pick("-1", "abc", "99999999999", "0", "1", "%00", "%FF", "asc", "up", "host", "name",
                    UUID.randomUUID().toString(), "x".repeat(400), "%25_%25", word(6), "");
            q.append(key.replace("~", "%7E")).append('=').append(value);
        }
        return q.toString();
    }

    private byte[] body(String method, String path) {
        int kind = random.nextInt(14);
        if (kind == 0 && random.nextInt(3) == 0) {
            byte[] big = new byte[(1 << 20) + 1 + random.nextInt(1024)];
            java.util.Arrays.fill(big, (byte) ' ');
            big[0] = '{';
            big[big.length - 1] = '}';
            return big;
        }
        return switch (kind) {
            case 0, 1 -> randomBytes(random.nextInt(200));
            case 2 -> new byte[] {'{', '"', 'n', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
            case 3 -> truncated(json(2)).getBytes(StandardCharsets.UTF_8);
            case 4 -> pick("", "null", "[]", "7", "\"x\"", "true", "{}", "[" .repeat(5000), "{\"a\":" .repeat(3000))
                    .getBytes(StandardCharsets.UTF_8);
            case 5 -> ("{\"" + pick("restore", "reset_status", "explode", "", "os-reset_status") + "\": " + wrongValue(2)
                    + ", \"" + pick("restore", "reset_status", "x") + "\": " + wrongValue(1) + "}")
                    .getBytes(StandardCharsets.UTF_8);
            case 6 -> ("{\"" + pick("explode", "os-restore", "delete", "RESTORE", "unmanage", "extend", "shrink",
                    "os-extend", "os-shrink", "") + "\": "
                    + wrongValue(2) + "}").getBytes(StandardCharsets.UTF_8);
            case 7 -> ("{\"reset_status\": " + pick("{}", "[]", "5", "\"error\"", "{\"status\": " + pick("5", "[]",
                    "{}", "\"restoring\"", "\"migrating\"", "\"ERROR\"", "\"\"", "\"" + word(8) + "\"") + "}")
                    + "}").getBytes(StandardCharsets.UTF_8);
            case 8 -> ("{\"share_backup\": " + pick("[]", "5", "\"x\"", "null", "true") + "}")
                    .getBytes(StandardCharsets.UTF_8);
            case 9 -> ("{\"share_backup\": {\"" + pick("name", "description", "backup_options", "share_id")
                    + "\": " + wrongValue(2) + "}}").getBytes(StandardCharsets.UTF_8);
            case 10 -> ("{\"share_backup\": {\"name\": \"" + "n".repeat(4097 + random.nextInt(100)) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            case 11 -> json(3).getBytes(StandardCharsets.UTF_8);
            case 12 -> ("{\"restore\": " + wrongValue(2) + "}").getBytes(StandardCharsets.UTF_8);
            default -> ("{\"share\": " + pick("[]", "5", "\"x\"", "{\"size\": \"big\"}", "{\"protocol\": 5}",
                    "{\"share_proto\": 5, \"size\": 1}", "{\"share_proto\": \"NFS\", \"size\": \"0\"}",
                    "{\"share_proto\": \"NFS\", \"backup_id\": \"" + UUID.randomUUID() + "\"}") + "}")
                    .getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Random JSON whose leaves are never plain short strings, so no body it makes is a valid request. */
    private String json(int depth) {
        if (depth == 0 || random.nextInt(3) == 0) {
            return wrongValue(0);
        }
        StringBuilder out = new StringBuilder("{");
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(quote(KEYS[random.nextInt(KEYS.length)])).append(": ").append(json(depth - 1));
        }
        return out.append('}').toString();
    }

    private String wrongValue(int depth) {
        return switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0 -> Long.toString(random.nextLong());
            case 1 -> "1e999";
            case 2 -> Boolean.toString(random.nextBoolean());
            case 3 -> "[]";
            case 4 -> "{}";
            case 5 -> "-0.5";
            case 6 -> "\"" + "\\u0000".repeat(1 + random.nextInt(3)) + "\"";
            case 7 -> "[" + wrongValue(depth - 1) + "]";
            default -> "{\"" + pick("status", "name", "x") + "\": " + wrongValue(depth - 1) + "}";
        };
    }

    private void headers(HttpRequest.Builder request) {
        String token = TOKENS[random.nextInt(TOKENS.length)];
        if (!token.isEmpty()) {
            request.header("X-Auth-Token", token);
        }
        if (random.nextInt(6) > 0) {
            String version = random.nextInt(8) == 0 ? word(5) : VERSIONS[random.nextInt(VERSIONS.length)];
            if (!version.isBlank()) {
                request.header("X-OpenStack-Manila-API-Version", version.trim());
            }
        }
        if (random.nextInt(4) > 0) {
            request.header("X-OpenStack-Manila-API-Experimental", pick("True", "true", "1", "no", "maybe"));
        }
        request.header("Content-Type", pick("application/json", "text/plain", "application/octet-stream",
                "application/json; charset=latin1"));
    }

    private static String quote(String text) {
        try {
            return Json.mapper().writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String word(int length) {
        String alphabet = "abcxyzABC0123456789-_.~";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private String truncated(String text) {
        return text.length() < 2 ? "{" : text.substring(0, 1 + random.nextInt(text.length() - 1));
    }

    private static String preview(byte[] body) {
        if (body == null) {
            return "none";
        }
        String text = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
        return body.length + " bytes " + text;
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, f.repos().database().read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    return rs.getLong(1);
                }
            }));
        }
        return counts;
    }

    private String digest() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String table : TABLES) {
            List<String> rows = f.repos().database().read(c -> {
                List<String> out = new java.util.ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table);
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            row.append('|').append(value instanceof byte[] b ? HexFormat.of().formatHex(b) : value);
                        }
                        out.add(row.toString());
                    }
                }
                return out;
            });
            rows.stream().sorted().forEach(row -> sha.update(row.getBytes(StandardCharsets.UTF_8)));
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
