package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Ferry in a Keystone cloud: Debian's Keystone (installed when missing) on 127.0.0.1 with two projects, their
 * members and a reader, Ferry (FERRY_AUTH=keystone, a 3 s token cache) registered in its catalog as
 * {@code sharev2}; the openstack client finds Ferry through the catalog alone (it creates a share type and a share
 * of that type, and lists shares), Keystone tokens go through
 * Ferry's API with Manila's project and role rules, a revoked token stops working within the cache time, and
 * Keystone stopped is a 503. The last test stops Keystone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeystoneIT {
    private static final int CACHE_SECONDS = 3;
    private static final String PASSWORD = "it-pw-" + UUID.randomUUID();
    private static OwnKeystone keystone;
    private static FerrySystem system;
    private static String project1;
    private static String project2;
    private static String sourceShare;
    private static String backup;
    private static final List<String> TOKENS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        keystone = OwnKeystone.start();
        String service = keystone.create("/projects", "project", Map.of("name", "service", "domain_id", "default"));
        project1 = keystone.create("/projects", "project", Map.of("name", "ks-p1", "domain_id", "default"));
        project2 = keystone.create("/projects", "project", Map.of("name", "ks-p2", "domain_id", "default"));
        String serviceRole = keystone.create("/roles", "role", Map.of("name", "service"));
        String member = keystone.roleId("member");
        keystone.user("ferry", PASSWORD, service, serviceRole);
        keystone.user("muser", PASSWORD, project1, member);
        keystone.user("muser2", PASSWORD, project2, member);
        keystone.user("ruser", PASSWORD, project1, keystone.roleId("reader"));
        Path passwordFile = Files.writeString(keystone.dir.resolve("ferry-password"), PASSWORD + "\n");
        system = FerrySystem.start("keystone", true, Map.of("FERRY_AUTH", "keystone",
                "FERRY_KEYSTONE_URL", keystone.url(), "FERRY_KEYSTONE_USER", "ferry",
                "FERRY_KEYSTONE_PASSWORD_FILE", passwordFile.toString(), "FERRY_KEYSTONE_PROJECT", "service",
                "FERRY_KEYSTONE_CACHE_SECONDS", Integer.toString(CACHE_SECONDS), "FERRY_LOG_FORMAT", "json"));
        // what an operator runs: openstack service create --name manilav2 sharev2, endpoint create ... public .../v2
        String sharev2 = keystone.create("/services", "service", Map.of("name", "manilav2", "type", "sharev2",
                "description", "OpenStack Shared File Systems v2"));
        keystone.create("/endpoints", "endpoint", Map.of("service_id", sharev2, "interface", "public",
                "url", system.baseUrl() + "/v2", "region_id", "RegionOne"));
        system.useAdminToken(keystone.adminToken());
        system.startDataNode("node-1", Map.of());
        Path export = system.newExport("ks-source");
        Files.writeString(export.resolve("hello.txt"), "from a keystone cloud\n");
        sourceShare = system.manageShare("ks-source", "NFS", export, 1, project1);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            if (keystone != null) {
                keystone.close();
            }
        }
    }

    private static ApiClient as(String user, String project) throws Exception {
        return new ApiClient(system.baseUrl(), token(user, project), "2.91", true);
    }

    private static String token(String user, String project) throws Exception {
        String token = keystone.token(user, PASSWORD, project);
        TOKENS.add(token);
        return token;
    }

    /** Runs Debian's openstack client as {@code user} with a password: only OS_AUTH_URL, no endpoint; its output. */
    private static String openstack(String user, String password, String project, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/openstack"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("OS_"));
        env.putAll(Map.of("OS_AUTH_URL", keystone.url(), "OS_IDENTITY_API_VERSION", "3", "OS_USERNAME", user,
                "OS_PASSWORD", password, "OS_PROJECT_NAME", project, "OS_USER_DOMAIN_NAME", "Default",
                "OS_PROJECT_DOMAIN_NAME", "Default", "OS_REGION_NAME", "RegionOne"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "openstack " + String.join(" ", args));
        assertEquals(0, process.exitValue(), () -> "openstack " + String.join(" ", args) + ":\n" + output);
        return output;
    }

    @Test
    @Order(1)
    void theOpenstackClientFindsFerryInTheCatalogCreatesATypedShareAndListsShares() throws Exception {
        openstack("admin", OwnKeystone.ADMIN_PASSWORD, "admin", "share", "type", "create", "ks-type", "false");
        String created = openstack("muser", PASSWORD, "ks-p1", "share", "create", "NFS", "1", "--name", "ks-typed",
                "--share-type", "ks-type", "-f", "json");
        String typedShare = ApiClient.JSON.readTree(created.substring(created.indexOf('{'))).path("id").asText();
        JsonNode typed = system.awaitShare(typedShare, "available", Duration.ofSeconds(60));
        assertEquals("ks-type", typed.path("share_type_name").asText(), typed::toString);
        assertEquals(project1, typed.path("project_id").asText(), typed::toString);

        String output = openstack("muser", PASSWORD, "ks-p1", "share", "list", "-f", "json");
        JsonNode shares = ApiClient.JSON.readTree(output.substring(output.indexOf('[')));
        List<String> names = new ArrayList<>();
        shares.forEach(share -> names.add(share.path("Name").asText()));
        assertTrue(names.containsAll(List.of("ks-source", "ks-typed")), output);
        assertTrue(system.api().log().contains("GET /v2/shares/detail -> 200"), system.api()::tail);
    }

    @Test
    @Order(2)
    void keystoneTokensBackUpRestoreAndListThroughFerrysApi() throws Exception {
        ApiClient member = as("muser", "ks-p1");
        backup = system.createBackup(member, sourceShare);
        Path targetExport = system.newExport("ks-target");
        String target = system.manageShare("ks-target", "NFS", targetExport, 1, project1);
        ApiClient.Response restore = member.post("/v2/share-backups/" + backup + "/action", Map.of("restore", target));
        assertEquals(202, restore.status(), restore::toString);
        system.awaitShare(target, "available", Duration.ofSeconds(120));
        assertEquals("from a keystone cloud\n", Files.readString(targetExport.resolve("hello.txt")));
        ApiClient.Response list = member.get("/v2/share-backups");
        assertEquals(200, list.status(), list::toString);
        assertEquals(backup, list.body().at("/share_backups/0/id").asText(), list::toString);
    }

    @Test
    @Order(3)
    void anotherProjectsMemberGets404AndAReaderGets403OnCreate() throws Exception {
        ApiClient.Response other = as("muser2", "ks-p2").get("/v2/share-backups/" + backup);
        assertEquals(404, other.status(), other::toString);
        assertEquals(404, other.body().at("/itemNotFound/code").asInt(), other::toString);

        ApiClient reader = as("ruser", "ks-p1");
        ApiClient.Response read = reader.get("/v2/share-backups/" + backup);
        assertEquals(200, read.status(), read::toString);
        ApiClient.Response create = reader.post("/v2/share-backups",
                Map.of("share_backup", Map.of("share_id", sourceShare, "name", "not-allowed")));
        assertEquals(403, create.status(), create::toString);
        assertEquals(403, create.body().at("/forbidden/code").asInt(), create::toString);
    }

    @Test
    @Order(4)
    void aMissingOrBogusTokenIs401WithKeystonesAddressAndRequestIdsFollowOslo() throws Exception {
        String keystoneBase = keystone.url().substring(0, keystone.url().length() - "/v3".length());
        for (String token : new String[] {null, "gAAAAA-never-issued-" + UUID.randomUUID()}) {
            ApiClient.Response refused = new ApiClient(system.baseUrl(), token, "2.91", true).get("/v2/share-backups");
            assertEquals(401, refused.status(), refused::toString);
            assertEquals(401, refused.body().at("/unauthorized/code").asInt(), refused::toString);
            assertEquals("Keystone uri=\"" + keystoneBase + "\"",
                    refused.raw().headers().firstValue("WWW-Authenticate").orElse("(none)"));
        }

        String global = "req-" + UUID.randomUUID();
        ApiClient.Response answered = new ApiClient(system.baseUrl(), token("muser", "ks-p1"),
                "2.91", true).withHeader("X-OpenStack-Request-Id", global).get("/v2/share-backups");
        assertEquals(200, answered.status(), answered::toString);
        String own = answered.raw().headers().firstValue("x-openstack-request-id").orElseThrow();
        assertTrue(own.startsWith("req-") && !own.equals(global), own);
        assertEquals(own, answered.raw().headers().firstValue("x-compute-request-id").orElseThrow());
        Awaitility.await("the access log line carries both ids").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> system.api().log().lines().anyMatch(line ->
                        line.contains("\"request_id\":\"" + own + "\"")
                                && line.contains("\"global_request_id\":\"" + global + "\"")));

        ApiClient.Response notAnId = new ApiClient(system.baseUrl(), token("muser", "ks-p1"),
                "2.91", true).withHeader("X-OpenStack-Request-Id", "evil\"id").get("/v2/share-backups");
        String ownToo = notAnId.raw().headers().firstValue("x-openstack-request-id").orElseThrow();
        Awaitility.await("the access log line of the second request").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> system.api().log().contains("\"request_id\":\"" + ownToo + "\""));
        assertTrue(system.api().log().lines().filter(line -> line.contains(ownToo))
                .noneMatch(line -> line.contains("global_request_id")), "only req-<uuid> is taken as a global id");
    }

    @Test
    @Order(5)
    void keystoneCallsPerThousandRequestsWithTheCache() throws Exception {
        List<ApiClient> callers = List.of(as("muser", "ks-p1"), as("muser2", "ks-p2"), as("ruser", "ks-p1"));
        ManagementScrape management = new ManagementScrape(system.api().managementUrl(Duration.ofSeconds(10)));
        double before = ManagementScrape.value(management.metrics(), "ferry_keystone_requests_total");
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            ApiClient.Response response = callers.get(i % callers.size()).get("/v2/share-backups?limit=1");
            assertEquals(200, response.status(), response::toString);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double calls = ManagementScrape.value(management.metrics(), "ferry_keystone_requests_total") - before;
        System.out.printf("KeystoneIT: %.0f Keystone calls for 1,000 API requests by %d tokens in %.1f s "
                + "(FERRY_KEYSTONE_CACHE_SECONDS=%d; each token is validated at most once per cache time)%n",
                calls, callers.size(), seconds, CACHE_SECONDS);
        double bound = callers.size() * (Math.ceil(seconds / CACHE_SECONDS) + 1) + 1;
        assertTrue(calls >= 1 && calls <= bound, calls + " Keystone calls, expected at most " + bound);
    }

    @Test
    @Order(6)
    void aRevokedTokenStopsWorkingWithinTheCacheTime() throws Exception {
        String token = token("muser", "ks-p1");
        ApiClient member = new ApiClient(system.baseUrl(), token, "2.91", true);
        assertEquals(200, member.get("/v2/share-backups").status());
        keystone.revoke(token);
        long revoked = System.nanoTime();
        Awaitility.await("the revoked token is refused").atMost(Duration.ofSeconds(CACHE_SECONDS + 2))
                .pollInterval(Duration.ofMillis(100)).until(() -> member.get("/v2/share-backups").status() == 401);
        System.out.printf("KeystoneIT: a revoked token was refused %d ms after the revocation (cache %d s)%n",
                (System.nanoTime() - revoked) / 1_000_000, CACHE_SECONDS);
    }

    @Test
    @Order(99)
    void keystoneStoppedIs503NotA401() throws Exception {
        String token = token("muser", "ks-p1");
        keystone.stop();
        assertFalse(keystone.isAlive());
        ApiClient.Response down = new ApiClient(system.baseUrl(), token, "2.91", true).get("/v2/share-backups");
        assertEquals(503, down.status(), down::toString);
        assertEquals(503, down.body().at("/computeFault/code").asInt(), down::toString);
        assertTrue(down.body().at("/computeFault/message").asText().contains("Keystone"), down::toString);
        assertTrue(system.api().log().contains("could not be reached"), system.api()::tail);
        String logs = system.logs();
        assertFalse(logs.contains(PASSWORD), "the service user's password is never logged");
        assertTrue(TOKENS.size() >= 5, "tokens were used: " + TOKENS.size());
        for (String used : TOKENS) {
            assertFalse(logs.contains(used), "a Keystone token is never logged");
        }
    }
}
