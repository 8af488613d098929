package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node whose driver does not restore to other shares (FERRY_BACKUP_RESTORE_TO_TARGET=false). */
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

    @Test
    void targetedRestoreFailsWithAUserMessageAndInPlaceStillWorks() throws Exception {
        Path a = system.newExport("a");
        Files.writeString(a.resolve("f.txt"), "original\n");
        String shareA = system.manageShare("a", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, shareA);

        Path b = system.newExport("b");
        Files.writeString(b.resolve("mine.txt"), "b's own\n");
        String shareB = system.manageShare("b", "NFS", b, 1, "p1");
        var bBefore = TreeSnapshot.of(b);
        ApiClient.Response response = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareB));
        assertEquals(202, response.status(), response::toString);
        JsonNode message = system.awaitMessage(shareB, Duration.ofSeconds(60));
        assertEquals("028", message.get("action_id").asText());
        assertEquals("032", message.get("detail_id").asText());
        assertEquals("restore share backup: Cannot restore a given backup to a target share, not supported by "
                + "share driver.", message.get("user_message").asText());
        assertEquals("available", system.awaitShare(shareB, "available", Duration.ofSeconds(10)).get("status").asText());
        system.awaitBackup(backup, "available", Duration.ofSeconds(10));
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

    /** A share from a backup is a targeted restore: without the capability it ends in error, its folder empty. */
    @Test
    void aShareFromABackupFailsIntoErrorWithAUserMessage() throws Exception {
        Path a = system.newExport("from-backup-source");
        Files.writeString(a.resolve("f.txt"), "data\n");
        String source = system.manageShare("from-backup-source", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, source);

        ApiClient.Response response = alice.post("/v2/shares",
                Map.of("share", Map.of("share_proto", "NFS", "backup_id", backup)));
        assertEquals(200, response.status(), response::toString);
        String id = response.body().at("/share/id").asText();
        JsonNode message = system.awaitMessage(id, Duration.ofSeconds(60));
        assertEquals("002", message.get("action_id").asText());
        assertEquals("032", message.get("detail_id").asText());
        assertEquals("create: Cannot restore a given backup to a target share, not supported by share driver.",
                message.get("user_message").asText());
        assertEquals("error", system.share(id).get("status").asText());
        system.awaitBackup(backup, "available", Duration.ofSeconds(10));
        assertTrue(!Files.exists(system.shares.resolve(id).resolve("f.txt")), "nothing was restored");
    }
}
