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
}
