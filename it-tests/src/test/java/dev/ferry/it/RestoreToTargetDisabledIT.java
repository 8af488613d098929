package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node whose driver does not restore to other shares (FERRY_BACKUP_RESTORE_TO_TARGET=false); its reports let the
 * api-gateway refuse targeted restores when they arrive. (The node's own check, for casts that arrive while no node
 * is up, has unit tests: RestoreBackupJobTest, CreateShareJobTest.)
 */
class RestoreToTargetDisabledIT {
    private static FerrySystem system;
    private static ApiClient alice;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("notarget", true);
        system.startDataNode("node-1", Map.of("FERRY_BACKUP_RESTORE_TO_TARGET", "false"));
        alice = system.user("alice", "p1");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    /**
     * While the node is up, the api-gateway knows from its reports that no up node restores to a target: the request
     * is refused when it arrives (400), nothing changes, and in-place restores still work.
     */
    @Test
    void targetedRestoreIsRefusedWhenItArrivesAndInPlaceStillWorks() throws Exception {
        Path a = system.newExport("a");
        Files.writeString(a.resolve("f.txt"), "original\n");
        String shareA = system.manageShare("a", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, shareA);

        Path b = system.newExport("b");
        Files.writeString(b.resolve("mine.txt"), "b's own\n");
        String shareB = system.manageShare("b", "NFS", b, 1, "p1");
        var bBefore = TreeSnapshot.of(b);
        ApiClient.Response response = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareB));
        assertEquals(400, response.status(), response::toString);
        assertEquals("No data node can restore an NFS backup into an NFS share other than the backup's own share: the "
                + "up data nodes' backup drivers do not support restore to a target share (Manila's "
                + "restore_to_target_support). Restore the backup into its own share " + shareA + ", or start a data "
                + "node whose driver allows restores to a target (FERRY_BACKUP_RESTORE_TO_TARGET=true).",
                response.body().at("/badRequest/message").asText());
        assertEquals("available", system.share(shareB).get("status").asText());
        assertEquals("available", system.backup(backup).get("status").asText());
        assertTrue(system.messages(shareB).isEmpty(), "refused at once: no later failure to report");
        assertEquals(bBefore, TreeSnapshot.of(b), "nothing was written into share B");

        Files.writeString(a.resolve("f.txt"), "changed\n");
        response = alice.post("/v2/share-backups/" + backup + "/action", "{\"restore\": null}");
        assertEquals(202, response.status(), response::toString);
        system.awaitShare(shareA, "available", Duration.ofSeconds(60));
        assertEquals("100", system.awaitBackup(backup, "available", Duration.ofSeconds(10))
                .get("restore_progress").asText());
        assertEquals("original\n", Files.readString(a.resolve("f.txt")), "in-place restore still works");
        assertTrue(system.messages(shareA).isEmpty());
    }

    /** A share from a backup is a targeted restore: without the capability on any up node it is refused (400). */
    @Test
    void aShareFromABackupIsRefusedWhenItArrives() throws Exception {
        Path a = system.newExport("from-backup-source");
        Files.writeString(a.resolve("f.txt"), "data\n");
        String source = system.manageShare("from-backup-source", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, source);

        ApiClient.Response response = alice.post("/v2/shares",
                Map.of("share", Map.of("share_proto", "NFS", "backup_id", backup)));
        assertEquals(400, response.status(), response::toString);
        assertTrue(response.body().at("/badRequest/message").asText().contains("Restore the backup into its own share "
                + source), response::toString);
        assertEquals("available", system.backup(backup).get("status").asText());
        try (var folders = Files.list(system.shares)) {
            assertEquals(0, folders.count(), "no share folder was made");
        }
    }
}
