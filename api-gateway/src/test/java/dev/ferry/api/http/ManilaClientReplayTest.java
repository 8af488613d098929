package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.messages.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays, request by request, what the real {@code openstack share backup …} client sends
 * ({@code shared/reference/manilaclient-requests.md}), with its exact headers and bodies, and asserts every
 * response fact the client relies on. {@link Session} is one client process: it discovers the version with
 * {@code GET /}, negotiates {@code min(requested, CURRENT)}, and turns the experimental header on at the
 * first share-backup call and never off (§1, §0.4). Every test runs with the endpoint {@code /v2} and with
 * {@code /v2/<project_id>} (§1 "URL": both were tried and both work).
 *
 * <ul>
 *   <li>{@link #versionDiscovery}: §0.1, §1 "Version discovery", §4.</li>
 *   <li>{@link #backupList}, {@link #backupListDetailByShareNameAndStatus}: §2 "backup list".</li>
 *   <li>{@link #backupShowByIdAndByName}, {@link #backupShowOfAnUnknownNameFindsNothing}: §2 "backup show", §3.</li>
 *   <li>{@link #backupCreateByShareName}, {@link #backupCreateByShareUuidWithOptions}: §2 "backup create", §0.3.</li>
 *   <li>{@link #restoreInPlaceAt291}, {@link #restoreInPlaceAt280}: §2 "backup restore, in place", §0.2.</li>
 *   <li>{@link #restoreOutOfPlaceByTargetName}, {@link #restoreOutOfPlaceByTargetUuidAndBackupName}:
 *       §2 "backup restore, out of place".</li>
 *   <li>{@link #setNameAndStatusThenUnsetDescription}: §2 "backup set", "backup unset".</li>
 *   <li>{@link #delete}: §2 "backup delete".</li>
 *   <li>{@link #shareShowByUuidAndByName}: §2 "share show".</li>
 *   <li>{@link #softDeletedListingNeverDuplicatesAShare}, {@link #allTenantsFromANonAdminIsToleratedAndLeaksNothing}:
 *       §0.3, §3.</li>
 *   <li>{@link #unknownQueryParametersAreIgnored}: DESIGN §6, manila-behaviour §1.5.</li>
 *   <li>{@link #errorsCarryTheFirstKeysMessageAndARequestId}: §0.6.</li>
 *   <li>{@link #backupsAt279AreRefusedAsManilaDoes}: §0.5 (the client refuses before sending; Manila
 *       answers 404 when a request at 2.79 does reach it, manila-behaviour §1.1).</li>
 * </ul>
 */
class ManilaClientReplayTest extends InProcessGateway {
    private static final String CLIENT_MAX = "2.95";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One request as it went on the wire, and what came back. */
    record Exchange(String method, String path, Map<String, String> sent, String body, int status,
                    HttpHeaders headers, JsonNode json) {
        String experimental() {
            return sent.get("X-OpenStack-Manila-API-Experimental");
        }

        String version() {
            return sent.get("X-Openstack-Manila-Api-Version");
        }

        @Override
        public String toString() {
            return method + " " + path + " → " + status + " " + json;
        }
    }

    /** One run of the client: a process with its token, its requested version and its endpoint. */
    final class Session {
        final String token;
        final String endpoint;
        final String requested;
        final List<Exchange> trace = new ArrayList<>();
        String version;
        boolean experimental;

        Session(String token, String endpoint, String requested) {
            this.token = token;
            this.endpoint = endpoint;
            this.requested = requested;
        }

        /** GET / at the client's maximum, no experimental header; CURRENT decides the version. */
        JsonNode discover() {
            Exchange root = send("GET", "/", null, CLIENT_MAX);
            ok(root);
            JsonNode current = null;
            for (JsonNode v : root.json().path("versions")) {
                if ("CURRENT".equals(v.path("status").asText())) {
                    current = v;
                    break;
                }
            }
            assertNotNull(current, "no CURRENT entry: " + root);
            assertFalse(current.path("version").asText().isEmpty(), "an empty version drops the client to 1.0");
            assertFalse(current.path("min_version").asText().isEmpty(), root.toString());
            assertTrue(number(current.path("min_version").asText()) <= number(requested),
                    "requested below the server's minimum");
            String max = current.path("version").asText();
            version = number(max) < number(requested) ? max : requested;
            return current;
        }

        /** A ShareBackupManager call: the @experimental_api decorator turns the header on for good. */
        Exchange backups(String method, String path, String body) {
            experimental = true;
            return send(method, endpoint + path, body, version);
        }

        Exchange shares(String method, String path) {
            return send(method, endpoint + path, null, version);
        }

        Exchange send(String method, String path, String body, String microversion) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("User-Agent", "python-manilaclient");
            headers.put("Accept-Encoding", "gzip, deflate");
            headers.put("Accept", "application/json");
            headers.put("X-Auth-Token", token);
            headers.put("X-Openstack-Manila-Api-Version", microversion);
            if (experimental) {
                headers.put("X-OpenStack-Manila-API-Experimental", "true");
            }
            if (body != null) {
                headers.put("Content-Type", "application/json");
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            try {
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                String text = decode(response);
                JsonNode json = text.isEmpty() ? null : Json.parse(text);
                Exchange exchange = new Exchange(method, path, headers, body, response.statusCode(),
                        response.headers(), json);
                trace.add(exchange);
                return exchange;
            } catch (IOException e) {
                throw new AssertionError(method + " " + path + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** osc_lib find_resource for a share: GET by arg (any error swallowed), then the two lists. */
        String findShare(String arg) {
            Exchange direct = shares("GET", "/shares/" + arg);
            if (direct.status() < 400) {
                return direct.json().path("share").path("id").asText();
            }
            assertErrorShape(direct);
            List<JsonNode> all = shareLists();
            return onlyMatch(all, arg, "share");
        }

        /** The two share lists manilaclient sends at ≥ 2.69, concatenated. */
        List<JsonNode> shareLists() {
            List<JsonNode> all = new ArrayList<>();
            for (String query : List.of("all_tenants=1&is_public=True", "all_tenants=1&is_public=True&is_soft_deleted=True")) {
                Exchange list = shares("GET", "/shares/detail?" + query);
                ok(list);
                assertTrue(list.json().path("shares").isArray(), list.toString());
                list.json().path("shares").forEach(all::add);
            }
            return all;
        }

        /** osc_lib find_resource for a backup: GET by arg, then detail?all_tenants=1 matched by name. */
        JsonNode findBackup(String arg) {
            Exchange direct = backups("GET", "/share-backups/" + arg, null);
            if (direct.status() < 400) {
                return direct.json().path("share_backup");
            }
            assertErrorShape(direct);
            Exchange list = backups("GET", "/share-backups/detail?all_tenants=1", null);
            ok(list);
            List<JsonNode> all = new ArrayList<>();
            list.json().path("share_backups").forEach(all::add);
            String id = onlyMatch(all, arg, "sharebackup");
            return all.stream().filter(b -> b.path("id").asText().equals(id)).findFirst().orElseThrow();
        }

        List<String> lines() {
            List<String> lines = new ArrayList<>();
            for (Exchange e : trace) {
                lines.add(e.method() + " " + e.path() + (e.experimental() == null ? "" : " exp"));
            }
            return lines;
        }
    }

    /** The client's APIVersion ordering: major, then minor, numerically. */
    private static int number(String version) {
        String[] parts = version.split("\\.");
        return Integer.parseInt(parts[0]) * 1000 + Integer.parseInt(parts[1]);
    }

    private static String decode(HttpResponse<byte[]> response) throws IOException {
        String encoding = response.headers().firstValue("Content-Encoding").orElse("");
        InputStream in = new ByteArrayInputStream(response.body());
        if (encoding.equalsIgnoreCase("gzip")) {
            in = new GZIPInputStream(in);
        } else if (encoding.equalsIgnoreCase("deflate")) {
            in = new InflaterInputStream(in);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** What the client needs of a success: a status below 400 (the code itself is never checked). */
    private static void ok(Exchange e) {
        assertTrue(e.status() < 400, e.toString());
    }

    /** What the client needs of an error: body[first key]["message"] and x-openstack-request-id. */
    private static void assertErrorShape(Exchange e) {
        assertTrue(e.status() >= 400, e.toString());
        assertNotNull(e.json(), "an error without a body: " + e);
        Iterator<String> keys = e.json().fieldNames();
        assertTrue(keys.hasNext(), e.toString());
        JsonNode fault = e.json().path(keys.next());
        assertTrue(fault.path("message").isTextual() && !fault.path("message").asText().isEmpty(), e.toString());
        assertEquals(e.status(), fault.path("code").asInt(), e.toString());
        assertTrue(e.headers().firstValue("x-openstack-request-id").filter(id -> id.startsWith("req-")).isPresent(),
                "no x-openstack-request-id on " + e);
    }

    private static String message(Exchange e) {
        return e.json().path(e.json().fieldNames().next()).path("message").asText();
    }

    /** ManagerWithFind.findall: exact name matches; none or several end the command. */
    private static String onlyMatch(List<JsonNode> items, String name, String kind) {
        List<String> ids = new ArrayList<>();
        for (JsonNode item : items) {
            if (name.equals(item.path("name").asText(null))) {
                ids.add(item.path("id").asText());
            }
        }
        assertFalse(ids.isEmpty(), "No " + kind + " with a name or ID of '" + name + "' exists.");
        assertEquals(1, ids.size(), "More than one " + kind + " exists with the name '" + name + "'.");
        return ids.get(0);
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> keys = new TreeSet<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    // --- fixtures -----------------------------------------------------------------------------------------

    private static String project() {
        return "demo-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String endpoint(String variant, String project) {
        return variant.equals("project") ? "/v2/" + project : "/v2";
    }

    private Session session(String variant, String project, String requested) {
        return session("alice:" + project, variant, project, requested);
    }

    private Session session(String token, String variant, String project, String requested) {
        Session s = new Session(token, endpoint(variant, project), requested);
        s.discover();
        return s;
    }

    private Share share(String project, String name, int size, boolean isPublic) {
        LocalDateTime now = Timestamps.now(f.repos().clock());
        String id = UUID.randomUUID().toString();
        Share share = new Share(id, project, "user-of-" + project, name, null, "NFS", size, ShareStatus.AVAILABLE,
                "10.0.0.5:/exports/" + id, isPublic, null, now, now, Share.MANAGED);
        f.repos().database().inTransaction(c -> {
            f.repos().shares().insert(c, share);
            return null;
        });
        return share;
    }

    private Backup backup(Share of, String name) {
        return f.backup(of, name, "nightly", of.size(), BackupStatus.AVAILABLE, Timestamps.now(f.repos().clock()));
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    // --- §1 -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void versionDiscovery(String variant) {
        Session s = new Session("alice:" + project(), endpoint(variant, "x"), "2.91");
        JsonNode current = s.discover();
        Exchange root = s.trace.get(0);
        assertEquals(200, root.status());
        assertEquals("/", root.path());
        assertEquals("2.95", root.version(), "GET / goes out at the client's own maximum");
        assertEquals(null, root.experimental());
        assertEquals("2.91", current.path("version").asText());
        assertEquals("2.0", current.path("min_version").asText());
        assertEquals("2.91", s.version);

        Session old = new Session("alice:" + project(), endpoint(variant, "x"), "2.80");
        old.discover();
        assertEquals("2.80", old.version, "a lower request is kept");
    }

    // --- §2 backup list ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void backupList(String variant) {
        String project = project();
        Share src = share(project, unique("share-src"), 10, false);
        Backup b = backup(src, unique("nightly"));
        Session s = session(variant, project, "2.91");

        Exchange list = s.backups("GET", "/share-backups", null);

        assertEquals(200, list.status(), list.toString());
        assertEquals("true", list.experimental());
        assertEquals("2.91", list.version());
        JsonNode items = list.json().path("share_backups");
        assertEquals(1, items.size(), list.toString());
        JsonNode item = items.get(0);
        assertEquals(b.id(), item.path("id").asText());
        assertEquals(b.name(), item.path("name").asText());
        assertEquals(src.id(), item.path("share_id").asText());
        assertEquals("available", item.path("status").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void backupListDetailByShareNameAndStatus(String variant) {
        String project = project();
        String srcName = unique("share-src");
        Share src = share(project, srcName, 10, false);
        Share other = share(project, unique("other"), 10, false);
        Backup wanted = backup(src, unique("nightly"));
        f.backup(src, 10, BackupStatus.ERROR);
        backup(other, unique("elsewhere"));
        Session s = session(variant, project, "2.91");

        String shareId = s.findShare(srcName);
        Exchange list = s.backups("GET", "/share-backups/detail?share_id=" + shareId + "&status=available", null);

        assertEquals(List.of("GET /", "GET " + s.endpoint + "/shares/" + srcName,
                "GET " + s.endpoint + "/shares/detail?all_tenants=1&is_public=True",
                "GET " + s.endpoint + "/shares/detail?all_tenants=1&is_public=True&is_soft_deleted=True",
                "GET " + s.endpoint + "/share-backups/detail?share_id=" + src.id() + "&status=available exp"),
                s.lines(), "the share lookups go out before any backup call, so without exp");
        ok(list);
        JsonNode items = list.json().path("share_backups");
        assertEquals(1, items.size(), list.toString());
        JsonNode item = items.get(0);
        assertEquals(wanted.id(), item.path("id").asText());
        for (String key : List.of("id", "name", "share_id", "status", "description", "size", "created_at",
                "updated_at", "availability_zone", "progress", "restore_progress")) {
            assertTrue(item.has(key), key + " missing from " + item);
        }
        assertEquals(10, item.path("size").asInt());
        assertEquals("nightly", item.path("description").asText());
    }

    // --- §2 backup show ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void backupShowByIdAndByName(String variant) {
        String project = project();
        Share src = share(project, unique("share-src"), 10, false);
        Backup b = backup(src, unique("nightly"));

        Session byId = session(variant, project, "2.91");
        JsonNode shown = byId.findBackup(b.id());
        assertEquals(1, byId.trace.size() - 1, "found by id with one GET");
        assertEquals(b.id(), shown.path("id").asText());
        assertEquals(Set.of("id", "name", "share_id", "status", "description", "size", "created_at", "updated_at",
                "availability_zone", "progress", "restore_progress", "backup_type"), keys(shown));

        Session byName = session(variant, project, "2.91");
        JsonNode found = byName.findBackup(b.name());
        assertEquals(List.of("GET /", "GET " + byName.endpoint + "/share-backups/" + b.name() + " exp",
                "GET " + byName.endpoint + "/share-backups/detail?all_tenants=1 exp"), byName.lines());
        assertEquals(404, byName.trace.get(1).status());
        assertEquals(b.id(), found.path("id").asText());
        assertEquals(src.id(), found.path("share_id").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void backupShowOfAnUnknownNameFindsNothing(String variant) {
        String project = project();
        backup(share(project, unique("share-src"), 10, false), unique("nightly"));
        Session s = session(variant, project, "2.91");

        Exchange direct = s.backups("GET", "/share-backups/nope", null);
        assertErrorShape(direct);
        assertEquals(404, direct.status());
        Exchange list = s.backups("GET", "/share-backups/detail?all_tenants=1", null);
        ok(list);
        for (JsonNode item : list.json().path("share_backups")) {
            assertFalse("nope".equals(item.path("name").asText()), list.toString());
        }
    }

    // --- §2 backup create --------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void backupCreateByShareName(String variant) {
        String project = project();
        String srcName = unique("share-src");
        Share src = share(project, srcName, 10, false);
        Session s = session(variant, project, "2.91");

        String shareId = s.findShare(srcName);
        Exchange created = s.backups("POST", "/share-backups", "{\"share_backup\": {\"backup_options\": null, "
                + "\"description\": null, \"name\": \"x\", \"share_id\": \"" + shareId + "\"}}");

        assertEquals(List.of("GET /", "GET " + s.endpoint + "/shares/" + srcName,
                "GET " + s.endpoint + "/shares/detail?all_tenants=1&is_public=True",
                "GET " + s.endpoint + "/shares/detail?all_tenants=1&is_public=True&is_soft_deleted=True",
                "POST " + s.endpoint + "/share-backups exp"), s.lines());
        assertEquals(404, s.trace.get(1).status());
        assertEquals(src.id(), shareId);
        assertEquals(202, created.status(), created.toString());
        JsonNode backup = created.json().path("share_backup");
        assertTrue(backup.isObject(), "the client reads body[\"share_backup\"]: " + created);
        assertEquals("x", backup.path("name").asText());
        assertEquals(src.id(), backup.path("share_id").asText());
        assertEquals("creating", backup.path("status").asText());
        assertTrue(backup.path("description").isNull());
        assertEquals(BackupStatus.CREATING, f.backup(backup.path("id").asText()).status());
        assertEquals(ShareStatus.BACKUP_CREATING, f.share(src.id()).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void backupCreateByShareUuidWithOptions(String variant) {
        String project = project();
        Share src = share(project, unique("share-src"), 10, false);
        Session s = session(variant, project, "2.91");

        String shareId = s.findShare(src.id());
        Exchange created = s.backups("POST", "/share-backups", "{\"share_backup\": {\"backup_options\": "
                + "{\"backup_type\": \"daily\"}, \"description\": \"d\", \"name\": \"x\", \"share_id\": \""
                + shareId + "\"}}");

        assertEquals(List.of("GET /", "GET " + s.endpoint + "/shares/" + src.id(),
                "POST " + s.endpoint + "/share-backups exp"), s.lines(), "a UUID is found without listing");
        assertEquals(200, s.trace.get(1).status());
        assertEquals(202, created.status(), created.toString());
        JsonNode backup = created.json().path("share_backup");
        assertEquals("d", backup.path("description").asText());
        assertEquals("daily", backup.path("backup_type").asText());
    }

    // --- §2 backup restore -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void restoreInPlaceAt291(String variant) {
        restoreInPlace(variant, "2.91");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void restoreInPlaceAt280(String variant) {
        restoreInPlace(variant, "2.80");
    }

    private void restoreInPlace(String variant, String requested) {
        String project = project();
        Share src = share(project, unique("share-src"), 10, false);
        Backup b = backup(src, unique("nightly"));
        Session s = session(variant, project, requested);

        JsonNode got = s.findBackup(b.id());
        Exchange restore = s.backups("POST", "/share-backups/" + got.path("id").asText() + "/action",
                "{\"restore\": null}");

        assertEquals(List.of("GET /", "GET " + s.endpoint + "/share-backups/" + b.id() + " exp",
                "POST " + s.endpoint + "/share-backups/" + b.id() + "/action exp"), s.lines());
        assertEquals(requested, restore.version());
        assertTrue(restore.status() < 400, restore.toString());
        assertEquals(BackupStatus.RESTORING, f.backup(b.id()).status());
        assertEquals(ShareStatus.BACKUP_RESTORING, f.share(src.id()).status());
        // --wait polls the share named by share_id of the backup GET
        Exchange poll = s.shares("GET", "/shares/" + got.path("share_id").asText());
        ok(poll);
        assertEquals("backup_restoring", poll.json().path("share").path("status").asText());
        assertEquals("true", poll.experimental(), "the experimental header is sticky");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void restoreOutOfPlaceByTargetName(String variant) {
        String project = project();
        Share src = share(project, unique("share-src"), 10, false);
        String targetName = unique("target-share");
        Share target = share(project, targetName, 10, false);
        Backup b = backup(src, unique("nightly"));
        Session s = session(variant, project, "2.91");

        JsonNode got = s.findBackup(b.id());
        String targetId = s.findShare(targetName);
        Exchange restore = s.backups("POST", "/share-backups/" + got.path("id").asText() + "/action",
                "{\"restore\": \"" + targetId + "\"}");

        assertEquals(List.of("GET /", "GET " + s.endpoint + "/share-backups/" + b.id() + " exp",
                "GET " + s.endpoint + "/shares/" + targetName + " exp",
                "GET " + s.endpoint + "/shares/detail?all_tenants=1&is_public=True exp",
                "GET " + s.endpoint + "/shares/detail?all_tenants=1&is_public=True&is_soft_deleted=True exp",
                "POST " + s.endpoint + "/share-backups/" + b.id() + "/action exp"), s.lines());
        assertEquals(target.id(), targetId);
        assertTrue(restore.status() < 400, restore.toString());
        assertEquals(ShareStatus.BACKUP_RESTORING, f.share(target.id()).status());
        assertEquals(ShareStatus.AVAILABLE, f.share(src.id()).status());
        Exchange poll = s.shares("GET", "/shares/" + targetId);
        assertEquals("backup_restoring", poll.json().path("share").path("status").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void restoreOutOfPlaceByTargetUuidAndBackupName(String variant) {
        String project = project();
        Share src = share(project, unique("share-src"), 10, false);
        Share target = share(project, unique("target-share"), 10, false);
        Backup b = backup(src, unique("nightly"));
        Session s = session(variant, project, "2.91");

        JsonNode got = s.findBackup(b.name());
        String targetId = s.findShare(target.id());
        Exchange restore = s.backups("POST", "/share-backups/" + got.path("id").asText() + "/action",
                "{\"restore\": \"" + targetId + "\"}");

        assertEquals(List.of("GET /", "GET " + s.endpoint + "/share-backups/" + b.name() + " exp",
                "GET " + s.endpoint + "/share-backups/detail?all_tenants=1 exp",
                "GET " + s.endpoint + "/shares/" + target.id() + " exp",
                "POST " + s.endpoint + "/share-backups/" + b.id() + "/action exp"), s.lines());
        assertTrue(restore.status() < 400, restore.toString());
        assertEquals(ShareStatus.BACKUP_RESTORING, f.share(target.id()).status());
        assertEquals(b.id(), f.share(target.id()).sourceBackupId());
    }

    // --- §2 backup set / unset / delete ------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void setNameAndStatusThenUnsetDescription(String variant) {
        String project = project();
        Backup b = backup(share(project, unique("share-src"), 10, false), unique("nightly"));

        Session set = session(variant, project, "2.91");
        JsonNode got = set.findBackup(b.id());
        Exchange renamed = set.backups("PUT", "/share-backups/" + got.path("id").asText(),
                "{\"share_backup\": {\"name\": \"renamed\"}}");
        ok(renamed);
        if (renamed.json() != null) {
            assertEquals("renamed", renamed.json().path("share_backup").path("name").asText());
        }
        assertEquals("renamed", f.backup(b.id()).name());

        Session admin = session("admin:" + project, variant, project, "2.91");
        admin.findBackup(b.id());
        Exchange reset = admin.backups("POST", "/share-backups/" + b.id() + "/action",
                "{\"reset_status\": {\"status\": \"error\"}}");
        ok(reset);
        assertEquals(BackupStatus.ERROR, f.backup(b.id()).status());

        Session unset = session(variant, project, "2.91");
        Exchange cleared = unset.backups("PUT", "/share-backups/" + b.id(),
                "{\"share_backup\": {\"description\": null}}");
        ok(cleared);
        assertEquals(null, f.backup(b.id()).description());
        assertEquals("renamed", f.backup(b.id()).name(), "unset touches only the given key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void delete(String variant) {
        String project = project();
        Backup b = backup(share(project, unique("share-src"), 10, false), unique("nightly"));
        Session s = session(variant, project, "2.91");

        JsonNode got = s.findBackup(b.id());
        Exchange deleted = s.backups("DELETE", "/share-backups/" + got.path("id").asText(), null);

        assertTrue(deleted.status() < 400, deleted.toString());
        assertEquals(null, deleted.sent().get("Content-Type"));
        assertEquals(BackupStatus.DELETING, f.backup(b.id()).status());
        Exchange poll = s.backups("GET", "/share-backups/" + b.id(), null);
        ok(poll);
        assertEquals("deleting", poll.json().path("share_backup").path("status").asText());

        Exchange again = s.backups("DELETE", "/share-backups/" + b.id(), null);
        assertErrorShape(again);
        assertEquals(400, again.status());
        assertEquals("Invalid backup: Backup " + b.id() + " status must be available or error.", message(again));
    }

    // --- §2 share show -----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void shareShowByUuidAndByName(String variant) {
        String project = project();
        String name = unique("share-src");
        Share src = share(project, name, 10, false);

        Session byId = session(variant, project, "2.91");
        Exchange shown = byId.shares("GET", "/shares/" + src.id());
        ok(shown);
        assertEquals(name, shown.json().path("share").path("name").asText());
        Exchange locations = byId.shares("GET", "/shares/" + src.id() + "/export_locations");
        ok(locations);
        assertEquals(src.exportPath(), locations.json().path("export_locations").get(0).path("path").asText());

        Session byName = session(variant, project, "2.91");
        String id = null;
        for (int pass = 0; pass < 2; pass++) {
            id = onlyMatch(byName.shareLists(), name, "share");
        }
        Exchange named = byName.shares("GET", "/shares/" + id + "/export_locations");
        ok(named);
        assertEquals(src.id(), id);
        assertEquals(1, named.json().path("export_locations").size());
        for (Exchange e : byName.trace) {
            assertEquals(null, e.experimental(), "no backup call, so no experimental header: " + e);
        }
    }

    // --- §0.3, §3: lookups by listing --------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void softDeletedListingNeverDuplicatesAShare(String variant) {
        String project = project();
        String name = unique("share-src");
        Share src = share(project, name, 10, false);
        String publicName = unique("public-share");
        Share open = share(project(), publicName, 10, true);
        Session s = session(variant, project, "2.91");

        Exchange soft = s.shares("GET", "/shares/detail?all_tenants=1&is_public=True&is_soft_deleted=True");
        ok(soft);
        assertEquals(0, soft.json().path("shares").size(), "Ferry never soft-deletes: " + soft);
        List<JsonNode> both = s.shareLists();
        assertEquals(src.id(), onlyMatch(both, name, "share"));
        assertEquals(open.id(), onlyMatch(both, publicName, "share"), "another project's public share, once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void allTenantsFromANonAdminIsToleratedAndLeaksNothing(String variant) {
        String project = project();
        String name = unique("share-src");
        String backupName = unique("nightly");
        Share mine = share(project, name, 10, false);
        Backup myBackup = backup(mine, backupName);
        Share theirs = share(project(), name, 10, false);
        backup(theirs, backupName);
        Session s = session(variant, project, "2.91");

        assertEquals(mine.id(), s.findShare(name));
        assertEquals(myBackup.id(), s.findBackup(backupName).path("id").asText());
        for (Exchange e : s.trace) {
            if (e.path().contains("all_tenants=1")) {
                assertEquals(200, e.status(), e.toString());
                for (JsonNode item : e.json().path(e.path().contains("share-backups") ? "share_backups" : "shares")) {
                    assertFalse(item.toString().contains(theirs.id()), "another project leaked: " + e);
                }
            }
        }
        Session admin = session("admin:" + project, variant, project, "2.91");
        List<JsonNode> all = admin.shareLists();
        assertTrue(all.stream().anyMatch(sh -> sh.path("id").asText().equals(theirs.id())),
                "an admin's all_tenants=1 does list every project");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void unknownQueryParametersAreIgnored(String variant) {
        String project = project();
        Share src = share(project, unique("share-src"), 10, false);
        Backup b = backup(src, unique("nightly"));
        Session s = session(variant, project, "2.91");

        Exchange backups = s.backups("GET", "/share-backups/detail?no_such_filter=1&share_id=" + src.id(), null);
        ok(backups);
        assertEquals(1, backups.json().path("share_backups").size(), backups.toString());
        assertEquals(b.id(), backups.json().path("share_backups").get(0).path("id").asText());
        Exchange shares = s.shares("GET", "/shares/detail?all_tenants=1&is_public=True&zzz=True");
        ok(shares);
        assertTrue(shares.json().path("shares").toString().contains(src.id()), shares.toString());
    }

    // --- §0.6 errors, §0.5 versions ----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void errorsCarryTheFirstKeysMessageAndARequestId(String variant) {
        String project = project();
        Share src = share(project, unique("share-src"), 10, false);
        Backup creating = f.backup(src, 10, BackupStatus.CREATING);
        Session s = session(variant, project, "2.91");

        Exchange restore = s.backups("POST", "/share-backups/" + creating.id() + "/action", "{\"restore\": null}");
        assertErrorShape(restore);
        assertEquals(400, restore.status());
        assertEquals("badRequest", restore.json().fieldNames().next());
        assertEquals("Invalid backup: Backup " + creating.id() + " status must be available.", message(restore));

        Exchange missing = s.backups("GET", "/share-backups/" + UUID.randomUUID(), null);
        assertErrorShape(missing);
        assertEquals("itemNotFound", missing.json().fieldNames().next());

        Exchange unknownTarget = s.backups("POST", "/share-backups/" + backup(src, unique("b")).id() + "/action",
                "{\"restore\": \"" + UUID.randomUUID() + "\"}");
        assertErrorShape(unknownTarget);
        assertEquals(404, unknownTarget.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "project"})
    void backupsAt279AreRefusedAsManilaDoes(String variant) {
        String project = project();
        backup(share(project, unique("share-src"), 10, false), unique("nightly"));
        Session s = session(variant, project, "2.79");
        assertEquals("2.79", s.version);

        Exchange list = s.backups("GET", "/share-backups", null);

        assertEquals(404, list.status(), list.toString());
        assertErrorShape(list);
        assertEquals("itemNotFound", list.json().fieldNames().next());
        assertEquals("The resource could not be found.", message(list));
    }

    @Test
    void anotherProjectInTheEndpointIsAMalformedUrl() {
        String project = project();
        Session s = new Session("alice:" + project, "/v2/" + project(), "2.91");
        s.discover();

        Exchange list = s.backups("GET", "/share-backups", null);

        assertEquals(400, list.status(), list.toString());
        assertErrorShape(list);
        assertEquals("Malformed request url", message(list));
    }
}
