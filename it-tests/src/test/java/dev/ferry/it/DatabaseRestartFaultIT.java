package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault: PostgreSQL stopped and started while restores are copying. Checked: requests during the
 * outage fail cleanly (503 with a Manila fault body); nothing is lost: every restore finishes once.
 */
class DatabaseRestartFaultIT {
    private static final int RESTORES = 10;
    private static FerrySystem system;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("dbrestart", true);
        Map<String, String> slow = Map.of("FERRY_COPY_MAX_BYTES_PER_SECOND", Integer.toString(8 * 1024 * 1024),
                "FERRY_DATA_CONCURRENCY", "5");
        system.startDataNode("node-1", slow);
        system.startDataNode("node-2", slow);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        try {
            Services.ensurePostgresRunning();
        } finally {
            if (system != null) {
                system.close();
            }
        }
    }

    @Test
    void requestsFailCleanlyDuringTheOutageAndEveryJobFinishes() throws Exception {
        ApiClient alice = system.user("alice", "p1");
        Path a = system.newExport("a");
        SampleTree.writeBulk(a, 4, 8);
        String shareA = system.manageShare("a", "NFS", a, 1, "p1");
        List<String> backups = new ArrayList<>();
        for (int i = 0; i < RESTORES; i++) {
            backups.add(system.createBackup(alice, shareA));
        }
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < RESTORES; i++) {
            String target = system.manageShare("t" + i, "NFS", system.newExport("t" + i), 1, "p1");
            targets.add(target);
            assertEquals(202, alice.post("/v2/share-backups/" + backups.get(i) + "/action",
                    Map.of("restore", target)).status());
        }

        Services.postgres("stop");
        long stoppedAt = System.nanoTime();
        AtomicInteger unavailable = new AtomicInteger();
        Awaitility.await("ten clean 503 answers").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    ApiClient.Response response = alice.get("/v2/shares/" + targets.get(0));
                    assertEquals(503, response.status(), response::toString);
                    assertEquals(503, response.body().at("/computeFault/code").asInt(), response::toString);
                    return unavailable.incrementAndGet() >= 10;
                });
        ApiClient.Response refused = alice.post("/v2/share-backups", Map.of("share_backup", Map.of("share_id", shareA)));
        assertEquals(503, refused.status(), refused::toString);
        Services.postgres("start");
        long startedAt = System.nanoTime();
        for (String target : targets) {
            system.awaitShare(target, "available", Duration.ofSeconds(180));
        }
        long recoveryMs = (System.nanoTime() - startedAt) / 1_000_000;

        List<JsonNode> jobs = system.jobs("restore_backup");
        long succeeded = jobs.stream().filter(j -> j.get("status").asText().equals("succeeded")).count();
        long multiAttempt = jobs.stream().filter(j -> j.get("attempts").size() != 1).count();
        System.out.printf("database restart: accepted %d, database down %d ms, %d requests answered 503 (+1 create),"
                + " completed %d, jobs with more than one attempt %d, all done %d ms after the database started%n",
                RESTORES, (startedAt - stoppedAt) / 1_000_000, unavailable.get(), succeeded, multiAttempt, recoveryMs);
        assertEquals(RESTORES, succeeded);
        for (int i = 0; i < RESTORES; i++) {
            assertEquals(TreeSnapshot.of(a), TreeSnapshot.of(system.exports.resolve("t" + i)));
        }
        assertTrue(system.backup(backups.get(0)).get("status").asText().equals("available"));
    }
}
