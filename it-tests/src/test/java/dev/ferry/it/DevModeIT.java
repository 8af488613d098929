package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code ferry dev} with {@code FERRY_DEV_BROKER=embedded}: the whole system in one process on its
 * embedded defaults (H2, Qpid Broker-J, local folders as exports) serves an out-of-place restore.
 */
class DevModeIT {

    @Test
    void devModeServesAnOutOfPlaceRestore() throws Exception {
        Path work = Files.createTempDirectory("ferry-dev-it-");
        int http = FerrySystem.freePort();
        Map<String, String> env = Map.of("FERRY_DEV_BROKER", "embedded",
                "FERRY_DEV_BROKER_PORT", Integer.toString(FerrySystem.freePort()),
                "FERRY_HTTP_BIND", "127.0.0.1:" + http);
        try (FerryProcess dev = FerryProcess.start("dev", work, env, "dev")) {
            dev.awaitLog("ferry dev is ready", Duration.ofSeconds(120));
            ApiClient admin = new ApiClient("http://127.0.0.1:" + http, "admin:admin", "2.91", true);
            ApiClient alice = admin.as("alice", "demo");
            Path a = Files.createDirectories(work.resolve("var/exports/a"));
            Path b = Files.createDirectories(work.resolve("var/exports/b"));
            SampleTree.write(a);
            String shareA = manage(admin, "a", a);
            String shareB = manage(admin, "b", b);

            ApiClient.Response created = alice.post("/v2/share-backups",
                    Map.of("share_backup", Map.of("share_id", shareA, "name", "nightly")));
            assertEquals(202, created.status(), created::toString);
            String backup = created.body().at("/share_backup/id").asText();
            awaitStatus(alice, "/v2/share-backups/" + backup, "/share_backup/status", "available");

            ApiClient.Response restore = alice.post("/v2/share-backups/" + backup + "/action",
                    Map.of("restore", shareB));
            assertEquals(202, restore.status(), restore::toString);
            awaitStatus(alice, "/v2/shares/" + shareB, "/share/status", "available");
            awaitStatus(alice, "/v2/share-backups/" + backup, "/share_backup/restore_progress", "100");
            assertEquals(TreeSnapshot.of(work.resolve("var/backups/" + backup)), TreeSnapshot.of(b));

            // one management listener for the gateway and both workers
            ManagementScrape management = new ManagementScrape(dev.managementUrl(Duration.ofSeconds(5)));
            Awaitility.await("ferry dev is ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> management.status("/readyz") == 200);
            String metrics = management.metrics();
            assertTrue(metrics.contains("ferry_up{process=\"api-gateway\"} 1"), metrics);
            assertTrue(metrics.contains("ferry_up{process=\"data-manager\"} 1"), metrics);
            assertTrue(ManagementScrape.value(metrics, "ferry_copied_bytes_total") > 0, metrics);
            assertTrue(ManagementScrape.value(metrics, "ferry_jobs_ended_total", "kind=\"restore_backup\"",
                    "outcome=\"succeeded\"") >= 1, metrics);
            assertEquals(0, dev.stop(Duration.ofSeconds(60)), "ferry dev exits 0 on SIGTERM");
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static String manage(ApiClient admin, String name, Path export) throws Exception {
        ApiClient.Response response = admin.post("/v2/shares/manage", Map.of("share", Map.of("protocol", "NFS",
                "export_path", export.toString(), "name", name, "size", 1, "project_id", "demo")));
        assertEquals(200, response.status(), response::toString);
        return response.body().at("/share/id").asText();
    }

    private static void awaitStatus(ApiClient client, String path, String pointer, String expected) {
        Awaitility.await(path + " " + pointer + " = " + expected).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> expected.equals(client.get(path).body().at(pointer).asText()));
    }
}
