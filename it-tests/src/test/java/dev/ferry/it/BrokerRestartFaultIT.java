package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault: RabbitMQ stopped and started ({@code rabbitmqctl stop_app} / {@code start_app}) with 1,000
 * accepted restores in flight. Checked: every restore ends with its target {@code available} and its
 * backup {@code available}, each job succeeded with exactly one attempt (none applied twice).
 */
class BrokerRestartFaultIT {
    private static final int RESTORES = 1000;
    private static final int SOURCES = 100;
    private static FerrySystem system;
    private static final Map<String, String> LOCAL_MODE = Map.of(
            "FERRY_BACKUP_MOUNT_TEMPLATE", "", "FERRY_BACKUP_UNMOUNT_TEMPLATE", "",
            "FERRY_SHARE_MOUNT_TEMPLATE", "", "FERRY_SHARE_UNMOUNT_TEMPLATE", "",
            "FERRY_DATA_CONCURRENCY", "4", "FERRY_PROGRESS_INTERVAL_MS", "2000");

    @BeforeAll
    static void startSystem() throws Exception {
        // 1,000 backups in one project: far beyond the default backup quota (10).
        system = FerrySystem.start("broker", true,
                Map.of("FERRY_QUOTA_BACKUPS", "-1", "FERRY_QUOTA_BACKUP_GIGABYTES", "-1"));
        system.startDataNode("node-1", LOCAL_MODE);
        system.startDataNode("node-2", LOCAL_MODE);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        try {
            Services.startBroker();
        } finally {
            if (system != null) {
                system.close();
            }
        }
    }

    @Test
    void everyAcceptedRestoreFinishesOnceAcrossABrokerRestart() throws Exception {
        ApiClient alice = system.user("alice", "p1");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<String> sources = new ArrayList<>();
            for (int i = 0; i < SOURCES; i++) {
                Path export = system.newExport("src-" + i);
                Files.writeString(export.resolve("data.txt"), "source " + i + "\n");
                sources.add(system.manageShare("src-" + i, "NFS", export, 1, "p1"));
            }
            List<String> backups = new ArrayList<>();
            for (int round = 0; round < RESTORES / SOURCES; round++) {
                List<Future<String>> created = new ArrayList<>();
                for (String source : sources) {
                    created.add(pool.submit(() -> system.createBackup(alice, source)));
                }
                for (Future<String> backup : created) {
                    backups.add(backup.get());
                }
            }
            List<Future<String>> managed = new ArrayList<>();
            for (int i = 0; i < RESTORES; i++) {
                int n = i;
                managed.add(pool.submit(() -> system.manageShare("t-" + n, "NFS", system.newExport("t-" + n), 1, "p1")));
            }
            List<String> targets = new ArrayList<>();
            for (Future<String> target : managed) {
                targets.add(target.get());
            }

            List<Future<Integer>> accepted = new ArrayList<>();
            for (int i = 0; i < RESTORES; i++) {
                String backup = backups.get(i);
                String target = targets.get(i);
                accepted.add(pool.submit(() -> alice.post("/v2/share-backups/" + backup + "/action",
                        Map.of("restore", target)).status()));
            }
            int acceptedCount = 0;
            for (Future<Integer> status : accepted) {
                acceptedCount += status.get() == 202 ? 1 : 0;
            }
            assertEquals(RESTORES, acceptedCount, "every restore was accepted");
            long doneBeforeStop = countAvailable(targets);
            Services.stopBroker();
            long stoppedAt = System.nanoTime();
            Services.startBroker();
            long startedAt = System.nanoTime();
            Awaitility.await("all targets available").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> countAvailable(targets) == RESTORES);
            long recoveryMs = (System.nanoTime() - startedAt) / 1_000_000;

            List<JsonNode> jobs = system.jobs("restore_backup");
            long succeeded = jobs.stream().filter(j -> j.get("status").asText().equals("succeeded")).count();
            long failed = jobs.stream().filter(j -> j.get("status").asText().equals("failed")).count();
            long multiAttempt = jobs.stream().filter(j -> j.get("attempts").size() != 1).count();
            // A data node logs "<slot> claimed job <id> (epoch <n>)" when it starts a job (CastHandler).
            long claims = system.logs().lines().filter(l -> l.contains("CastHandler") && l.contains(" claimed job "))
                    .count();
            long regrants = system.logs().lines().filter(l -> l.contains("(its grant was lost)")).count();
            long refused = system.logs().lines().filter(l -> l.contains("not claimed")).count();
            System.out.printf("broker restart: accepted %d, done before stop_app %d, broker down %d ms, completed %d,"
                    + " failed %d, jobs with more than one attempt %d, claims %d (restores and backups),"
                    + " lost grants given again %d, duplicate casts refused %d, all available %d ms after start_app%n",
                    acceptedCount, doneBeforeStop, (startedAt - stoppedAt) / 1_000_000, succeeded, failed,
                    multiAttempt, claims, regrants, refused, recoveryMs);
            assertEquals(RESTORES, jobs.size());
            assertEquals(RESTORES, succeeded);
            assertEquals(0, multiAttempt, "no restore ran twice");
            assertEquals(2L * RESTORES, claims, "each backup and each restore was started by a node exactly once");
            for (int i = 0; i < RESTORES; i += 97) {
                assertEquals("source " + (i % SOURCES) + "\n",
                        Files.readString(system.exports.resolve("t-" + i).resolve("data.txt")));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long countAvailable(List<String> shares) throws Exception {
        ApiClient.Response response = system.admin().get("/v2/shares/detail?all_tenants=1");
        assertEquals(200, response.status(), response::toString);
        java.util.Set<String> wanted = new java.util.HashSet<>(shares);
        long count = 0;
        for (JsonNode share : response.body().get("shares")) {
            if (wanted.contains(share.get("id").asText()) && share.get("status").asText().equals("available")) {
                count++;
            }
        }
        return count;
    }
}
