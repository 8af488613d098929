package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The management listeners of a real api-gateway and data node: /healthz and /readyz answer 200, and /metrics,
 * scraped during and after a restore, shows the restore in the counters Prometheus would alert and graph on.
 */
class ManagementIT {
    private static FerrySystem system;
    private static ManagementScrape gateway;
    private static ManagementScrape node;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("management", false);
        // copies at 16 MiB/s: a restore of the test's 32 MiB runs long enough to be scraped while it runs
        FerryProcess dataNode = system.startDataNode("node-1",
                Map.of("FERRY_COPY_MAX_BYTES_PER_SECOND", Integer.toString(16 * 1024 * 1024)));
        gateway = new ManagementScrape(system.api().managementUrl(Duration.ofSeconds(30)));
        node = new ManagementScrape(dataNode.managementUrl(Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void bothProcessesAreAliveAndReady() throws Exception {
        for (ManagementScrape listener : new ManagementScrape[] {gateway, node}) {
            assertEquals(200, listener.status("/healthz"));
            Awaitility.await("ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> listener.status("/readyz") == 200);
            HttpResponse<String> metrics = listener.get("/metrics");
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    metrics.headers().toString());
        }
        assertTrue(gateway.metrics().contains("ferry_up{process=\"api-gateway\"} 1"));
        assertTrue(node.metrics().contains("ferry_up{process=\"data-manager\"} 1"));
        assertTrue(gateway.metrics().contains("hikaricp_connections_active{pool=\"ferry-db\"}"),
                "the database pool's meters are published");
        assertTrue(node.metrics().contains("jvm_memory_used_bytes"), "JVM meters are published");
    }

    @Test
    void aDataNodeWhoseManagementAddressIsTakenStopsAtStartSayingSo() throws Exception {
        String taken = system.api().managementUrl(Duration.ofSeconds(5)).replace("http://", "");
        Map<String, String> env = system.amqpEnv();
        env.put("FERRY_HOST", "node-taken");
        env.put("FERRY_BACKUP_EXPORT", system.backups.toString());
        env.put("FERRY_MANAGEMENT_BIND", taken);
        try (FerryProcess refused = FerryProcess.start("management-taken-node", system.root, env, "data-manager")) {
            assertEquals(78, refused.awaitExit(Duration.ofSeconds(60)), refused::tail);
            assertTrue(refused.log().contains("ferry data-manager: cannot serve the management listener on " + taken
                    + " (FERRY_MANAGEMENT_BIND)"), refused::tail);
            assertTrue(!refused.log().contains("consuming 'manila-data'"), "it never consumed");
        }
    }

    @Test
    void aRestoreMovesTheCountersOfBothProcesses() throws Exception {
        Path source = system.newExport("metrics-a");
        byte[] content = new byte[4 * 1024 * 1024];
        new java.util.Random(12).nextBytes(content);
        for (int i = 0; i < 8; i++) {
            Files.write(source.resolve("file-" + i + ".bin"), content);
        }
        ApiClient alice = system.user("alice", "p1");
        String shareA = system.manageShare("metrics-a", "NFS", source, 1, "p1");
        String backup = system.createBackup(alice, shareA);
        String shareB = system.manageShare("metrics-b", "NFS", system.newExport("metrics-b"), 1, "p1");
        double copiedBefore = ManagementScrape.value(node.metrics(), "ferry_copied_bytes_total");
        double endedBefore = ManagementScrape.value(gateway.metrics(), "ferry_jobs_ended_total",
                "kind=\"restore_backup\"", "outcome=\"succeeded\"");

        ApiClient.Response response = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareB));
        assertEquals(202, response.status(), response::toString);
        String[] during = {null};
        Awaitility.await("the restore, scraped while it runs").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    String now = node.metrics();
                    if (ManagementScrape.value(now, "ferry_node_jobs_running") >= 1) {
                        during[0] = now; // the last scrape while it ran
                    }
                    return "available".equals(system.share(shareB).get("status").asText());
                });
        system.awaitShare(shareB, "available", Duration.ofSeconds(120));
        system.awaitBackup(backup, "available", Duration.ofSeconds(30));

        String nodeAfter = node.metrics();
        if (during[0] != null) {
            System.out.println("a data node's /metrics during a restore (excerpt):\n" + excerpt(during[0], "ferry_"));
            assertTrue(ManagementScrape.value(during[0], "ferry_copied_bytes_total") >= copiedBefore,
                    "counters never go back");
        }
        assertTrue(ManagementScrape.value(nodeAfter, "ferry_copied_bytes_total") >= copiedBefore + 8 * content.length,
                () -> "the node counted the restore's bytes:\n" + excerpt(nodeAfter, "ferry_copied"));
        assertTrue(ManagementScrape.value(nodeAfter, "ferry_copied_files_total") >= 8);
        assertTrue(ManagementScrape.value(nodeAfter, "ferry_node_jobs_ended_total", "kind=\"restore_backup\"",
                "outcome=\"succeeded\"") >= 1);
        assertEquals(2.0, ManagementScrape.value(nodeAfter, "ferry_node_job_slots"),
                "FERRY_DATA_CONCURRENCY=1, and the verification slot");
        assertEquals(0.0, ManagementScrape.value(nodeAfter, "ferry_node_jobs_running"), "the restore is over");

        Awaitility.await("the gateway counts the restore's end").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200)).until(() -> ManagementScrape.value(gateway.metrics(),
                        "ferry_jobs_ended_total", "kind=\"restore_backup\"", "outcome=\"succeeded\"")
                        >= endedBefore + 1);
        String gatewayAfter = gateway.metrics();
        System.out.println("the api-gateway's /metrics after it (excerpt):\n" + excerpt(gatewayAfter, "ferry_"));
        assertTrue(ManagementScrape.value(gatewayAfter, "ferry_jobs_started_total", "kind=\"restore_backup\"") >= 1);
        assertTrue(ManagementScrape.value(gatewayAfter, "ferry_job_duration_seconds_count", "kind=\"restore_backup\"",
                "outcome=\"succeeded\"") >= 1);
        assertTrue(ManagementScrape.value(gatewayAfter, "ferry_http_requests_seconds_count", "method=\"POST\"",
                "route=\"/v2/share-backups/{backup_id}/action\"", "status=\"202\"") >= 1,
                () -> "requests are counted by route template:\n" + excerpt(gatewayAfter, "ferry_http_requests_seconds_count"));
        assertTrue(!Pattern.compile("route=\"[^\"]*" + Pattern.quote(backup)).matcher(gatewayAfter).find(),
                "no id becomes a label");
        assertEquals(404, alice.get("/no-such-path-" + backup).status());
        String unmatched = gateway.metrics();
        assertTrue(ManagementScrape.value(unmatched, "ferry_http_requests_seconds_count", "route=\"unmatched\"",
                "status=\"404\"") >= 1, () -> excerpt(unmatched, "ferry_http_requests_seconds_count"));
        assertTrue(!unmatched.contains("no-such-path"), "a path no route matched is not a label either");
        Awaitility.await("the poller sees the data node and the queue's consumer").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    String now = gateway.metrics();
                    return ManagementScrape.value(now, "ferry_data_nodes_up") >= 1
                            && ManagementScrape.value(now, "ferry_queue_consumers", "queue=\"manila-data\"") >= 1;
                });
        String polled = gateway.metrics();
        assertEquals(0.0, ManagementScrape.value(polled, "ferry_outbox_pending"), "every cast was sent");
        assertEquals(0.0, ManagementScrape.value(polled, "ferry_parked_messages"));
    }

    private static String excerpt(String metrics, String prefix) {
        StringBuilder lines = new StringBuilder();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix) && !line.contains("_bucket{")) {
                lines.append(line).append('\n');
            }
        }
        return lines.toString();
    }
}
