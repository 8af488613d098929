package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault: {@code kill -9} of the data node that is copying a restore, past half of it. Checked: another node finishes
 * it after the lease expires, resuming (its attempt skips the files the dead node had completed and copies only the
 * rest), the target equals the backup with no temporary file left, the job shows two attempts and one success; a
 * node started afterwards unmounts the dead node's leftover mounts. Prints the bytes the resumed attempt copied
 * against the total.
 */
class NodeCrashFaultIT {
    static final String SLOW_COPY = Integer.toString(16 * 1024 * 1024);
    private static final int FILES = 8;
    private static final long TOTAL_BYTES = FILES * 12L * 1024 * 1024;
    private static FerrySystem system;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("crash", true, Map.of("FERRY_JOB_LEASE_SECONDS", "3"));
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void anotherNodeFinishesTheRestoreOfAKilledNode() throws Exception {
        Map<String, String> slow = Map.of("FERRY_COPY_MAX_BYTES_PER_SECOND", SLOW_COPY);
        List<FerryProcess> nodes = new ArrayList<>(List.of(system.startDataNode("node-1", slow),
                system.startDataNode("node-2", slow)));
        ApiClient alice = system.user("alice", "p1");
        Path a = system.newExport("a");
        SampleTree.writeBulk(a, FILES, 12);
        String shareA = system.manageShare("a", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, shareA);
        String shareB = system.manageShare("b", "NFS", system.newExport("b"), 1, "p1");

        assertEquals(202, alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareB)).status());
        Awaitility.await("the restore is past half").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> Integer.parseInt(system.backup(backup).get("restore_progress").asText()) >= 55);
        String progressAtKill = system.backup(backup).get("restore_progress").asText();
        JsonNode running = system.restoreJobFor(shareB);
        String victimName = running.get("node").asText();
        FerryProcess victim = nodes.stream().filter(n -> n.log().contains("data node " + victimName + " consuming"))
                .findFirst().orElseThrow();
        victim.kill9();
        long killedAt = System.nanoTime();

        system.awaitShare(shareB, "available", Duration.ofSeconds(120));
        long recoveryMs = (System.nanoTime() - killedAt) / 1_000_000;
        JsonNode job = system.job(running.get("id").asText());
        System.out.printf("node crash: killed %s at %s%% of the restore; recovered in %d ms (lease 3 s); attempts %s%n",
                victimName, progressAtKill, recoveryMs, job.get("attempts"));
        assertEquals(TreeSnapshot.of(system.backups.resolve(backup)), TreeSnapshot.of(system.exports.resolve("b")));
        assertEquals("succeeded", job.get("status").asText());
        assertEquals(2, job.get("attempts").size(), job::toString);
        JsonNode first = job.get("attempts").get(0);
        JsonNode second = job.get("attempts").get(1);
        assertEquals(victimName, first.get("node").asText());
        assertEquals("lease expired", first.get("outcome").asText());
        assertNotEquals(victimName, second.get("node").asText());
        assertEquals("succeeded", second.get("outcome").asText());
        assertEquals("100", system.awaitBackup(backup, "available", Duration.ofSeconds(10))
                .get("restore_progress").asText());

        long filesCopied = counter(second, "files_copied");
        long filesSkipped = counter(second, "files_skipped");
        long bytesCopied = counter(second, "bytes_copied");
        long bytesSkipped = counter(second, "bytes_skipped");
        System.out.printf("resumed restore after kill -9 at %s%%: the second attempt copied %d of %d bytes (%.1f%%), "
                        + "%d files, and skipped %d files, %d bytes%n", progressAtKill, bytesCopied, TOTAL_BYTES,
                100.0 * bytesCopied / TOTAL_BYTES, filesCopied, filesSkipped, bytesSkipped);
        assertTrue(filesSkipped > 0, () -> "the resumed attempt skips what the dead node completed: " + second);
        assertTrue(bytesCopied < TOTAL_BYTES, () -> "the resumed attempt copies only the rest: " + second);
        assertEquals(FILES, filesCopied + filesSkipped, () -> "every file copied or skipped: " + second);
        assertEquals(TOTAL_BYTES, bytesCopied + bytesSkipped, () -> "every byte copied or skipped: " + second);
        assertEquals(job.get("attempts"), system.restoreJobFor(shareB).get("attempts"),
                "GET /admin/jobs shows the same attempts and counters as the job's document");
        try (var walk = Files.walk(system.exports.resolve("b"))) {
            assertEquals(List.of(), walk.filter(p -> p.getFileName().toString().startsWith(".ferry-")).toList(),
                    "the resumed attempt removed what the dead one left");
        }

        assertTrue(!system.activeMounts().isEmpty(), "the killed node left its mounts behind");
        FerryProcess fresh = system.startDataNode("node-3", Map.of());
        fresh.awaitLog("stale", Duration.ofSeconds(30));
        assertEquals(List.of(), system.activeMounts(), "a starting node unmounts stale mounts");
    }

    /** A counter of a job attempt in the admin API's job document. */
    private static long counter(JsonNode attempt, String name) {
        JsonNode value = attempt.path(name);
        assertTrue(value.isIntegralNumber(), () -> "the attempt shows " + name + ": " + attempt);
        return value.asLong();
    }
}
