package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An admin's reset_status during a running restore fences the job: the node stops writing within 2 seconds of the
 * reset's answer, the share can then be deleted, and the admin's statuses stay (the job's outcome changes none).
 */
class FencingIT {
    private static FerrySystem system;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("fencing", true);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void resetStatusOfTheTargetAndTheBackupDuringARestoreThenADeleteWritesNothingMore() throws Exception {
        ApiClient alice = system.user("alice", "p1");
        ApiClient admin = system.admin();
        Path a = system.newExport("a");
        SampleTree.writeBulk(a, 8, 12);
        String source = system.manageShare("a", "NFS", a, 1, "p1");
        FerryProcess fast = system.startDataNode("fast", Map.of());
        String backup = system.createBackup(alice, source);
        fast.stop(Duration.ofSeconds(30));
        FerryProcess node = system.startDataNode("slow", Map.of("FERRY_COPY_MAX_BYTES_PER_SECOND",
                NodeCrashFaultIT.SLOW_COPY));
        Path b = system.newExport("b");
        String target = system.manageShare("b", "NFS", b, 1, "p1");
        assertEquals(202, alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", target)).status());
        Awaitility.await("the copy is under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> Integer.parseInt(system.backup(backup).get("restore_progress").asText()) > 5);
        String jobId = system.restoreJobFor(target).get("id").asText();

        ApiClient.Response reset = admin.post("/v2/shares/" + target + "/action",
                Map.of("reset_status", Map.of("status", "available")));
        long answeredAt = System.nanoTime();
        assertEquals(202, reset.status(), reset::toString);
        ApiClient.Response resetBackup = admin.post("/v2/share-backups/" + backup + "/action",
                Map.of("reset_status", Map.of("status", "available")));
        assertEquals(202, resetBackup.status(), resetBackup::toString);
        assertEquals("available", system.share(target).get("status").asText(), "the admin's status");
        ApiClient.Response deleted = alice.send("DELETE", "/v2/shares/" + target, null);
        assertEquals(202, deleted.status(), deleted::toString);

        long stoppedMs = StopWatch.millisUntilStopped(node, jobId, answeredAt);
        StopWatch.assertNothingWrittenAfterTheBound(b, answeredAt);
        System.out.printf("fence by reset_status: the node stopped writing %d ms after the reset's answer%n",
                stoppedMs);
        assertTrue(stoppedMs <= 2000, "stopped " + stoppedMs + " ms after the reset");
        assertEquals("cancelled", system.job(jobId).get("status").asText());
        assertEquals("available", system.backup(backup).get("status").asText(), "the admin's status stays");
        assertEquals(404, admin.get("/v2/shares/" + target).status(), "the share stays deleted");
        assertEquals(0, node.stop(Duration.ofSeconds(30)));
        assertEquals(List.of(), system.activeMounts());
    }
}
