package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ferry's {@code cancel} action across the whole system: a restore mid-copy (rate-limited), a queued restore
 * (never started), a share being created from a backup, and a backup creation. Each ends in the statuses the
 * README gives, with a user message naming who cancelled, and nothing is written into the target (or the
 * repository) later than 2 seconds after the 202. Prints how long the node took to stop after each cancel.
 */
class CancelIT {
    private static final Map<String, String> SLOW = Map.of("FERRY_COPY_MAX_BYTES_PER_SECOND",
            NodeCrashFaultIT.SLOW_COPY);
    private static FerrySystem system;
    private static ApiClient alice;
    private static String source;
    private static String backup;
    private FerryProcess node;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("cancel", true);
        alice = system.user("alice", "p1");
        Path a = system.newExport("a");
        SampleTree.writeBulk(a, 8, 12);
        source = system.manageShare("a", "NFS", a, 1, "p1");
        FerryProcess fast = system.startDataNode("fast", Map.of());
        backup = system.createBackup(alice, source);
        fast.stop(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @AfterEach
    void stopNode() throws Exception {
        if (node != null) {
            node.stop(Duration.ofSeconds(30));
            node = null;
        }
        assertEquals(List.of(), system.activeMounts(), "nothing stays mounted");
    }

    private ApiClient.Response cancel(String backupId) throws Exception {
        return alice.post("/v2/share-backups/" + backupId + "/action", "{\"cancel\": null}");
    }

    private void awaitRestoreProgress(String backupId) {
        Awaitility.await("the copy is under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> Integer.parseInt(system.backup(backupId).get("restore_progress").asText()) > 5);
    }

    private static void assertCancelledMessage(String resourceId, String actionId) throws Exception {
        JsonNode message = system.awaitMessage(resourceId, Duration.ofSeconds(10));
        assertEquals(actionId, message.get("action_id").asText());
        assertEquals("910", message.get("detail_id").asText());
        assertTrue(message.get("user_message").asText().contains("Cancelled by user alice of project p1"),
                message::toString);
    }

    private static void assertNoTemporaries(Path tree) throws Exception {
        try (var walk = Files.walk(tree)) {
            assertEquals(List.of(), walk.filter(p -> p.getFileName().toString().startsWith(".ferry-")).toList(),
                    "the node removed its temporary files");
        }
    }

    @Test
    void aRestoreCancelledMidCopyStopsWithin2SecondsAndLeavesItsTargetBackupRestoringError() throws Exception {
        node = system.startDataNode("node-restore", SLOW);
        Path b = system.newExport("b");
        String target = system.manageShare("b", "NFS", b, 1, "p1");
        assertEquals(202, alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", target)).status());
        awaitRestoreProgress(backup);
        String jobId = system.restoreJobFor(target).get("id").asText();

        ApiClient.Response cancelled = cancel(backup);
        long answeredAt = System.nanoTime();
        assertEquals(202, cancelled.status(), cancelled::toString);

        long stoppedMs = StopWatch.millisUntilStopped(node, jobId, answeredAt);
        StopWatch.assertNothingWrittenAfterTheBound(b, answeredAt);
        System.out.printf("cancel of a restore mid-copy: the node stopped writing %d ms after the 202%n", stoppedMs);
        assertTrue(stoppedMs <= 2000, "stopped " + stoppedMs + " ms after the 202");
        assertNoTemporaries(b);
        assertEquals("available", system.backup(backup).get("status").asText());
        assertEquals("backup_restoring_error", system.share(target).get("status").asText(), "partly written");
        assertEquals("cancelled", system.job(jobId).get("status").asText());
        assertCancelledMessage(target, "028");
    }

    @Test
    void aQueuedRestoreThatWasCancelledNeverStarts() throws Exception {
        Path c = system.newExport("c");
        String target = system.manageShare("c", "NFS", c, 1, "p1");
        assertEquals(202, alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", target)).status());
        String jobId = system.restoreJobFor(target).get("id").asText();
        assertEquals("queued", system.job(jobId).get("status").asText(), "no data node runs");

        ApiClient.Response cancelled = cancel(backup);
        assertEquals(202, cancelled.status(), cancelled::toString);
        assertEquals("available", system.backup(backup).get("status").asText());
        assertEquals("available", system.share(target).get("status").asText(), "nothing was written");
        assertCancelledMessage(target, "028");

        node = system.startDataNode("node-late", SLOW);
        node.awaitLog("not claimed", Duration.ofSeconds(30));
        assertTrue(node.log().contains("was cancelled by user alice of project p1"), node::tail);
        assertFalse(node.log().contains("parking the cast"), "dropped, not parked");
        assertEquals(Map.of(), TreeSnapshot.of(c), "nothing was written into the target");
        assertEquals("available", system.share(target).get("status").asText());
        assertEquals("cancelled", system.job(jobId).get("status").asText());
        ApiClient.Response again = cancel(backup);
        assertEquals(400, again.status(), "nothing runs now: " + again);
        assertEquals("badRequest", again.body().fieldNames().next());
    }

    @Test
    void aShareBeingCreatedFromTheBackupEndsInError() throws Exception {
        node = system.startDataNode("node-create-share", SLOW);
        ApiClient.Response created = alice.post("/v2/shares", Map.of("share", Map.of("share_proto", "NFS",
                "name", "from-backup", "backup_id", backup)));
        assertEquals(200, created.status(), created::toString);
        String share = created.body().at("/share/id").asText();
        awaitRestoreProgress(backup);
        String jobId = system.jobs("create_share").stream().filter(j -> share.equals(j.get("share_id").asText()))
                .findFirst().orElseThrow().get("id").asText();

        ApiClient.Response cancelled = cancel(backup);
        long answeredAt = System.nanoTime();
        assertEquals(202, cancelled.status(), cancelled::toString);

        long stoppedMs = StopWatch.millisUntilStopped(node, jobId, answeredAt);
        Path folder = system.shares.resolve(share);
        StopWatch.assertNothingWrittenAfterTheBound(folder, answeredAt);
        System.out.printf("cancel of a share creation from a backup: the node stopped writing %d ms after the 202%n",
                stoppedMs);
        assertTrue(stoppedMs <= 2000, "stopped " + stoppedMs + " ms after the 202");
        assertEquals("error", system.share(share).get("status").asText());
        assertEquals("available", system.backup(backup).get("status").asText());
        assertEquals("cancelled", system.job(jobId).get("status").asText());
        assertCancelledMessage(share, "002");
    }

    @Test
    void aCancelledBackupCreationRemovesItsPartialCopyAndEndsInError() throws Exception {
        node = system.startDataNode("node-backup", SLOW);
        ApiClient.Response created = alice.post("/v2/share-backups",
                Map.of("share_backup", Map.of("share_id", source, "name", "to-cancel")));
        assertEquals(202, created.status(), created::toString);
        String second = created.body().at("/share_backup/id").asText();
        Path copy = system.backups.resolve(second);
        Awaitility.await("the backup copy is under way").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Integer.parseInt(system.backup(second).get("progress").asText()) > 5);
        String jobId = system.jobs("create_backup").stream().filter(j -> second.equals(j.get("backup_id").asText()))
                .findFirst().orElseThrow().get("id").asText();

        ApiClient.Response cancelled = cancel(second);
        long answeredAt = System.nanoTime();
        assertEquals(202, cancelled.status(), cancelled::toString);

        long stoppedMs = StopWatch.millisUntilStopped(node, jobId, answeredAt);
        Map<String, String> left = StopWatch.assertNothingWrittenAfterTheBound(copy, answeredAt);
        System.out.printf("cancel of a backup creation: the node stopped writing %d ms after the 202%n", stoppedMs);
        assertTrue(stoppedMs <= 2000, "stopped " + stoppedMs + " ms after the 202");
        assertEquals(Map.of(), left, "the partial copy is removed from the repository");
        assertFalse(Files.exists(copy), "the partial copy is removed from the repository");
        assertEquals("error", system.backup(second).get("status").asText());
        assertEquals("available", system.share(source).get("status").asText());
        assertEquals("cancelled", system.job(jobId).get("status").asText());
        assertCancelledMessage(second, "900");
    }
}
