package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault: SIGTERM to the data node during a long restore, with a drain timeout shorter than the copy.
 * Checked: the node stops taking work, releases the job and exits 0; another node resumes and
 * completes it; the target equals the backup.
 */
class DrainFaultIT {
    private static FerrySystem system;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("drain", true);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aDrainingNodeReleasesItsJobAndExitsZero() throws Exception {
        Map<String, String> slow = Map.of("FERRY_COPY_MAX_BYTES_PER_SECOND", NodeCrashFaultIT.SLOW_COPY,
                "FERRY_DRAIN_SECONDS", "1");
        FerryProcess node1 = system.startDataNode("node-1", slow);
        FerryProcess node2 = system.startDataNode("node-2", slow);
        ApiClient alice = system.user("alice", "p1");
        Path a = system.newExport("a");
        SampleTree.writeBulk(a, 8, 12);
        String shareA = system.manageShare("a", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, shareA);
        String shareB = system.manageShare("b", "NFS", system.newExport("b"), 1, "p1");

        assertEquals(202, alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareB)).status());
        Awaitility.await("the restore is copying").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> Integer.parseInt(system.backup(backup).get("restore_progress").asText()) > 5);
        JsonNode running = system.restoreJobFor(shareB);
        String drainingName = running.get("node").asText();
        FerryProcess draining = drainingName.equals("node-1") ? node1 : node2;
        long termAt = System.nanoTime();
        assertEquals(0, draining.stop(Duration.ofSeconds(60)), "the draining node exits 0");
        long exitMs = (System.nanoTime() - termAt) / 1_000_000;
        assertTrue(draining.log().contains("released job " + running.get("id").asText()), draining::tail);

        system.awaitShare(shareB, "available", Duration.ofSeconds(120));
        long doneMs = (System.nanoTime() - termAt) / 1_000_000;
        JsonNode job = system.job(running.get("id").asText());
        System.out.printf("drain: %s exited 0 %d ms after SIGTERM; job completed elsewhere %d ms after SIGTERM;"
                + " attempts %s%n", drainingName, exitMs, doneMs, job.get("attempts"));
        assertEquals(TreeSnapshot.of(system.backups.resolve(backup)), TreeSnapshot.of(system.exports.resolve("b")));
        assertEquals("succeeded", job.get("status").asText());
        List<JsonNode> attempts = List.of(job.get("attempts").get(0), job.get("attempts").get(1));
        assertEquals(drainingName, attempts.get(0).get("node").asText());
        assertTrue(attempts.get(0).get("outcome").asText().startsWith("released"), job::toString);
        assertNotEquals(drainingName, attempts.get(1).get("node").asText());
        assertEquals("succeeded", attempts.get(1).get("outcome").asText());
        assertEquals(List.of(), system.activeMounts(), "the draining node unmounted before it exited");
    }
}
