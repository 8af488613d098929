package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shares of Ferry's subdir backend across the whole system (real processes, PostgreSQL, RabbitMQ, bind
 * mounts): created as a folder under the base export, created from a backup (available only once its
 * content is complete), shrunk only when its data fits, deleted with its folder.
 */
class ShareLifecycleIT {
    private static final Set<String> IGNORED = Set.of("lost+found", "lost+found/fragment");
    private static FerrySystem system;
    private static ApiClient alice;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("shares", true);
        system.startDataNode("node-1", Map.of());
        alice = system.user("alice", "p1");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @AfterEach
    void nothingStaysMounted() throws Exception {
        assertEquals(List.of(), system.activeMounts());
    }

    private String createShare(Map<String, Object> share) throws Exception {
        ApiClient.Response response = alice.post("/v2/shares", Map.of("share", share));
        assertEquals(200, response.status(), response::toString);
        assertEquals("creating", response.body().at("/share/status").asText());
        return response.body().at("/share/id").asText();
    }

    @Test
    void aShareCreatedFromABackupHoldsTheBackupWhenItBecomesAvailable() throws Exception {
        Path a = system.newExport("from-backup-a");
        SampleTree.write(a);
        String source = system.manageShare("from-backup-a", "NFS", a, 2, "p1");
        String backup = system.createBackup(alice, source);
        var backedUp = TreeSnapshot.of(system.backups.resolve(backup));

        long started = System.nanoTime();
        String id = createShare(Map.of("share_proto", "NFS", "name", "restored", "backup_id", backup));
        JsonNode share = system.awaitShare(id, "available", Duration.ofSeconds(120));
        System.out.printf("share created from a backup of the test tree: %d ms from POST to available%n",
                (System.nanoTime() - started) / 1_000_000);
        Path folder = system.shares.resolve(id);
        assertEquals(backedUp, TreeSnapshot.of(folder, IGNORED), "the new share holds the backup's tree");
        assertEquals(2, share.get("size").asInt(), "the size defaults to the backup's");
        assertEquals(backup, share.get("source_backup_id").asText());
        JsonNode location = alice.get("/v2/shares/" + id + "/export_locations").body().get("export_locations").get(0);
        assertEquals(folder.toString(), location.get("path").asText());
        assertEquals("100", system.awaitBackup(backup, "available", Duration.ofSeconds(10))
                .get("restore_progress").asText());

        ApiClient.Response dependent = alice.send("DELETE", "/v2/shares/" + source, null);
        assertEquals(400, dependent.status(), dependent::toString);
        assertTrue(dependent.toString().contains("dependent backups"), dependent::toString);
    }

    @Test
    void aSubdirShareShrinksOnlyAboveItsUsedSpaceAndIsDeletedWithItsFolder() throws Exception {
        String id = createShare(Map.of("share_proto", "NFS", "size", 3, "name", "scratch"));
        system.awaitShare(id, "available", Duration.ofSeconds(60));
        Path folder = system.shares.resolve(id);
        assertTrue(Files.isDirectory(folder));
        try (RandomAccessFile data = new RandomAccessFile(folder.resolve("big.img").toFile(), "rw")) {
            data.setLength(3L << 29); // 1.5 GiB, sparse: used space as the share's users see it
        }

        ApiClient.Response shrink = alice.post("/v2/shares/" + id + "/action",
                Map.of("shrink", Map.of("new_size", 1)));
        assertEquals(202, shrink.status(), shrink::toString);
        JsonNode message = system.awaitMessage(id, Duration.ofSeconds(60));
        assertEquals("009", message.get("action_id").asText());
        assertEquals("906", message.get("detail_id").asText());
        JsonNode refused = system.awaitShare(id, "available", Duration.ofSeconds(10));
        assertEquals(3, refused.get("size").asInt(), "the size stays when the data does not fit");

        assertEquals(202, alice.post("/v2/shares/" + id + "/action", Map.of("shrink", Map.of("new_size", 2)))
                .status());
        Awaitility.await("share " + id + " is shrunk to 2 GiB").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> system.share(id).get("size").asInt() == 2
                        && "available".equals(system.share(id).get("status").asText()));

        assertEquals(202, alice.send("DELETE", "/v2/shares/" + id, null).status());
        Awaitility.await("share " + id + " is gone").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> system.admin().get("/v2/shares/" + id).status() == 404);
        assertFalse(Files.exists(folder), "deleting a subdir share removes its folder");
    }
}
