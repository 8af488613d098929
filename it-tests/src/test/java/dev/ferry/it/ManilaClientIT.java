package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request sequences of python-manilaclient's {@code openstack share backup …} commands
 * (manilaclient-requests.md §1-§3), sent the way the client sends them, to the real api-gateway process
 * on PostgreSQL with a data node on RabbitMQ: version discovery at {@code GET /}, names resolved by
 * listing with {@code all_tenants=1} and {@code is_soft_deleted=True}, the experimental header from the
 * first backup call on, the restore body as a bare share id, and {@code --wait} polling the share.
 */
class ManilaClientIT {
    private static final Set<String> IGNORED = Set.of("lost+found", "lost+found/fragment");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FerrySystem system;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("osc", true);
        system.startDataNode("node-1", Map.of());
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    /** One run of the client: what it sends, with the version it negotiated and its sticky header. */
    private static final class Command {
        private final HttpClient http = HttpClient.newHttpClient();
        private final String endpoint;
        private final String token;
        private final List<String> sent = new ArrayList<>();
        private String version;
        private boolean experimental;

        Command(String token) throws Exception {
            this.endpoint = system.baseUrl() + "/v2";
            this.token = token;
            version = "2.95";
            JsonNode versions = send("GET", system.baseUrl() + "/", null, 200).get("versions");
            JsonNode current = null;
            for (JsonNode v : versions) {
                if ("CURRENT".equals(v.path("status").asText())) {
                    current = v;
                }
            }
            assertTrue(current != null, "a CURRENT entry: " + versions);
            assertEquals("2.0", current.path("min_version").asText());
            version = current.path("version").asText(); // min(2.91 requested, server max)
            assertEquals("2.91", version);
        }

        JsonNode send(String method, String url, String body, int expected) throws Exception {
            HttpResponse<String> response = raw(method, url, body);
            assertEquals(expected, response.statusCode(), () -> method + " " + url + ": " + response.body());
            return response.body().isBlank() ? null : JSON.readTree(response.body());
        }

        HttpResponse<String> raw(String method, String url, String body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("X-Auth-Token", token).header("X-Openstack-Manila-Api-Version", version)
                    .header("User-Agent", "python-manilaclient").header("Accept", "application/json");
            if (experimental) {
                request.header("X-OpenStack-Manila-API-Experimental", "true");
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            sent.add(method + " " + url.substring(system.baseUrl().length()) + (experimental ? " exp" : ""));
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** {@code @experimental_api}: from the first share-backup manager call on, on every request. */
        void backupCall() {
            experimental = true;
        }

        /** osc-lib's find_resource for shares: GET by name (any error), then the two lists, one exact match. */
        String findShare(String name) throws Exception {
            assertTrue(raw("GET", endpoint + "/shares/" + name, null).statusCode() >= 400);
            List<JsonNode> all = new ArrayList<>();
            for (Map<String, String> query : List.of(Map.of("all_tenants", "1", "is_public", "True"),
                    Map.of("all_tenants", "1", "is_public", "True", "is_soft_deleted", "True"))) {
                send("GET", endpoint + "/shares/detail?" + sorted(query), null, 200).get("shares").forEach(all::add);
            }
            return exactlyOne(all, name, "share");
        }

        /** manilaclient's find_resource for {@code share show}: the two lists only, never a GET by name. */
        String findShareByListingOnly(String name) throws Exception {
            List<JsonNode> all = new ArrayList<>();
            for (String query : List.of("all_tenants=1&is_public=True",
                    "all_tenants=1&is_public=True&is_soft_deleted=True")) {
                send("GET", endpoint + "/shares/detail?" + query, null, 200).get("shares").forEach(all::add);
            }
            return exactlyOne(all, name, "share");
        }

        /** find_resource for backups: GET by name (404), then {@code detail?all_tenants=1}. */
        String findBackup(String name) throws Exception {
            assertEquals(404, raw("GET", endpoint + "/share-backups/" + name, null).statusCode());
            List<JsonNode> all = new ArrayList<>();
            send("GET", endpoint + "/share-backups/detail?all_tenants=1", null, 200).get("share_backups")
                    .forEach(all::add);
            return exactlyOne(all, name, "sharebackup");
        }

        private static String exactlyOne(List<JsonNode> found, String name, String what) {
            List<String> ids = found.stream().filter(n -> name.equals(n.path("name").asText()))
                    .map(n -> n.path("id").asText()).toList();
            assertEquals(1, ids.size(), "the client needs exactly one " + what + " named " + name + ": " + found);
            return ids.get(0);
        }

        /** Query strings as the client builds them: keys sorted, urlencoded. */
        private static String sorted(Map<String, String> query) {
            StringBuilder out = new StringBuilder();
            new TreeMap<>(query).forEach((k, v) -> out.append(out.length() == 0 ? "" : "&")
                    .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return out.toString();
        }
    }

    @Test
    void createRestoreToATargetByNameWithWaitShowAndDeleteWorkAsTheClientDrivesThem() throws Exception {
        Path src = system.newExport("osc-src");
        SampleTree.write(src);
        String srcId = system.manageShare("share-src", "NFS", src, 1, "demo-project");
        Path target = system.newExport("osc-target");
        String targetId = system.manageShare("target-share", "NFS", target, 2, "demo-project");
        String alice = "alice:demo-project";

        // openstack share backup create --name nightly share-src
        Command create = new Command(alice);
        assertEquals(srcId, create.findShare("share-src"));
        create.backupCall();
        JsonNode created = create.send("POST", create.endpoint + "/share-backups", "{\"share_backup\": "
                + "{\"backup_options\": null, \"description\": null, \"name\": \"nightly\", \"share_id\": \""
                + srcId + "\"}}", 202).get("share_backup");
        String backupId = created.get("id").asText();
        assertEquals(List.of("GET /", "GET /v2/shares/share-src",
                "GET /v2/shares/detail?all_tenants=1&is_public=True",
                "GET /v2/shares/detail?all_tenants=1&is_public=True&is_soft_deleted=True",
                "POST /v2/share-backups exp"), create.sent);
        system.awaitBackup(backupId, "available", Duration.ofSeconds(120));

        // openstack share backup restore nightly --target-share target-share --wait
        Command restore = new Command(alice);
        restore.backupCall();
        assertEquals(backupId, restore.findBackup("nightly"));
        restore.send("GET", restore.endpoint + "/share-backups/" + backupId, null, 200);
        assertEquals(targetId, restore.findShare("target-share"));
        restore.send("POST", restore.endpoint + "/share-backups/" + backupId + "/action",
                "{\"restore\": \"" + targetId + "\"}", 202);
        Awaitility.await("--wait: share " + targetId + " is available").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    String status = restore.send("GET", restore.endpoint + "/shares/" + targetId, null, 200)
                            .at("/share/status").asText();
                    assertTrue(!status.contains("error"), "the client stops on " + status);
                    return "available".equals(status);
                });
        assertEquals(TreeSnapshot.of(system.backups.resolve(backupId)), TreeSnapshot.of(target, IGNORED),
                "the target holds the backup");
        assertEquals("available", system.backup(backupId).get("status").asText());

        // openstack share show target-share (manilaclient's own find: lists, then export_locations)
        Command show = new Command(alice);
        assertEquals(targetId, show.findShareByListingOnly("target-share"));
        JsonNode locations = show.send("GET", show.endpoint + "/shares/" + targetId + "/export_locations", null, 200);
        assertEquals(target.toString(), locations.at("/export_locations/0/path").asText());

        // openstack share backup delete nightly --wait
        Command delete = new Command(alice);
        delete.backupCall();
        String id = delete.findBackup("nightly");
        assertEquals(202, delete.raw("DELETE", delete.endpoint + "/share-backups/" + id, null).statusCode());
        Awaitility.await("--wait: backup " + id + " is gone").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> delete.raw("GET", delete.endpoint + "/share-backups/" + id, null).statusCode() == 404);
    }
}
