package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 * Restores across the whole system, as real processes: HTTP → PostgreSQL → an oslo cast on RabbitMQ
 * → a data node → bind mounts and the copy → transitions back → what the API shows.
 */
class RestoreIT {
    private static final Set<String> IGNORED = Set.of("lost+found", "lost+found/fragment");
    private static FerrySystem system;
    private static ApiClient alice;
    /** The data node the tests use; one test replaces it. */
    private static FerryProcess node;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("restore", true);
        node = system.startDataNode("node-1", Map.of());
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

    @Test
    void outOfPlaceRestoreCopiesTheBackupIntoAnotherShare() throws Exception {
        Path a = system.newExport("oop-a");
        SampleTree.write(a);
        String shareA = system.manageShare("oop-a", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, shareA);
        var backedUp = TreeSnapshot.of(system.backups.resolve(backup));
        assertEquals(TreeSnapshot.of(a, IGNORED), backedUp, "the backup holds share A's tree, lost+found left out");

        Path b = system.newExport("oop-b");
        String shareB = system.manageShare("oop-b", "NFS", b, 2, "p1");
        var aBefore = TreeSnapshot.of(a);
        long started = System.nanoTime();
        ApiClient.Response response = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareB));
        assertEquals(202, response.status(), response::toString);
        assertEquals(backup, response.body().at("/restore/backup_id").asText());
        assertEquals(shareB, response.body().at("/restore/share_id").asText());

        JsonNode b1 = system.awaitShare(shareB, "available", Duration.ofSeconds(120));
        System.out.printf("out-of-place restore of the test tree: %d ms from POST to target available%n",
                (System.nanoTime() - started) / 1_000_000);
        assertEquals(backedUp, TreeSnapshot.of(b), "share B's tree equals the backup");
        assertEquals(backup, b1.get("source_backup_id").asText());
        JsonNode backupView = system.awaitBackup(backup, "available", Duration.ofSeconds(10));
        assertEquals("100", backupView.get("restore_progress").asText());
        assertEquals(aBefore, TreeSnapshot.of(a), "the source share is untouched");
        assertEquals("available", system.share(shareA).get("status").asText());
    }

    @Test
    void inPlaceRestoreBringsBackBackedUpFilesAndKeepsNewOnes() throws Exception {
        Path a = system.newExport("inplace-a");
        SampleTree.write(a);
        String shareA = system.manageShare("inplace-a", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, shareA);
        var backedUp = TreeSnapshot.of(system.backups.resolve(backup));

        Files.writeString(a.resolve("projects/alpha/src/main/Main.java"), "class Main { broken }\n");
        Files.delete(a.resolve("résumés/Ελληνικά.txt"));
        Files.writeString(a.resolve("added-later.txt"), "written after the backup\n");

        ApiClient.Response response = alice.atVersion("2.80")
                .post("/v2/share-backups/" + backup + "/action", "{\"restore\": null}");
        assertEquals(202, response.status(), response::toString);
        assertEquals(shareA, response.body().at("/restore/share_id").asText());
        system.awaitShare(shareA, "available", Duration.ofSeconds(120));
        system.awaitBackup(backup, "available", Duration.ofSeconds(10));

        assertEquals(backedUp, TreeSnapshot.of(a, Set.of("added-later.txt", "lost+found", "lost+found/fragment")),
                "every backed-up file is back as it was");
        assertEquals("written after the backup\n", Files.readString(a.resolve("added-later.txt")),
                "a restore overlays: files added since the backup stay");
    }

    /**
     * While a node is up the api-gateway knows the pair is unsupported and answers 400 at once; a restore accepted
     * while no node was up is checked by the node that claims it: it fails with a user message and writes nothing,
     * and the target keeps its status and source_backup_id.
     */
    @Test
    void restoreIntoAShareOfAnotherProtocolFailsExplicitlyAndWritesNothing() throws Exception {
        Path a = system.newExport("proto-a");
        Files.writeString(a.resolve("report.txt"), "quarterly\n");
        String shareA = system.manageShare("proto-a", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, shareA);

        Path c = system.newExport("proto-c");
        Files.writeString(c.resolve("keep.txt"), "cifs data\n");
        String shareC = system.manageShare("proto-c", "CIFS", c, 1, "p1");
        var cBefore = TreeSnapshot.of(c);

        ApiClient.Response refused = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareC));
        assertEquals(400, refused.status(), refused::toString);
        assertEquals("No data node can restore an NFS backup into a CIFS share: the up data nodes restore NFS→NFS "
                + "only. Restore into an NFS share.", refused.body().at("/badRequest/message").asText());

        assertEquals(0, node.stop(Duration.ofSeconds(60)), "no node up from here: the request is queued");
        ApiClient.Response response = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareC));
        assertEquals(202, response.status(), response::toString);
        node = system.startDataNode("node-2", Map.of());
        JsonNode message = system.awaitMessage(shareC, Duration.ofSeconds(60));
        assertEquals("028", message.get("action_id").asText());
        assertEquals("901", message.get("detail_id").asText());
        assertTrue(message.get("user_message").asText().startsWith("restore share backup: "),
                message::toString);
        assertTrue(message.get("user_message").asText().contains("protocol"), message::toString);
        assertEquals("available", system.awaitShare(shareC, "available", Duration.ofSeconds(10)).get("status").asText());
        assertEquals("available", system.awaitBackup(backup, "available", Duration.ofSeconds(10)).get("status").asText());
        assertEquals(cBefore, TreeSnapshot.of(c), "nothing was written into the CIFS share");
        assertTrue(system.share(shareC).get("source_backup_id").isNull(), "the target's source backup is as it was");
    }

    @Test
    void aBackupCannotWriteOutsideTheTargetWhateverItHolds() throws Exception {
        Path e = system.newExport("escape-e");
        Files.createSymbolicLink(e.resolve("to-root"), Path.of("/"));
        Files.createSymbolicLink(e.resolve("up"), Path.of("../../../.."));
        Files.createDirectories(e.resolve("dir"));
        Files.writeString(e.resolve("dir/f.txt"), "inside\n");
        Files.writeString(e.resolve("..hidden"), "a name that starts with two dots\n");
        String shareE = system.manageShare("escape-e", "NFS", e, 1, "p1");
        String backup = system.createBackup(alice, shareE);

        // The target holds what an earlier restore of a hostile backup could have left: dir -> outside.
        Path outside = Files.createDirectories(system.root.resolve("outside"));
        Path t = system.newExport("escape-t");
        Files.createSymbolicLink(t.resolve("dir"), outside);
        String shareT = system.manageShare("escape-t", "NFS", t, 1, "p1");

        ApiClient.Response response = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareT));
        assertEquals(202, response.status(), response::toString);
        system.awaitShare(shareT, "available", Duration.ofSeconds(60));

        try (var entries = Files.list(outside)) {
            assertEquals(0, entries.count(), "nothing was written through the symlink left in the target");
        }
        assertTrue(Files.isDirectory(t.resolve("dir"), LinkOption.NOFOLLOW_LINKS), "dir is a real directory now");
        assertEquals("inside\n", Files.readString(t.resolve("dir/f.txt")));
        assertEquals(Path.of("/"), Files.readSymbolicLink(t.resolve("to-root")), "links are recreated, not followed");
        assertEquals(Path.of("../../../.."), Files.readSymbolicLink(t.resolve("up")));
        assertFalse(Files.exists(Path.of("/f.txt")));
        assertEquals("a name that starts with two dots\n", Files.readString(t.resolve("..hidden")));
    }

    @Test
    void aDeletedBackupLeavesTheApiAndTheRepository() throws Exception {
        Path a = system.newExport("delete-a");
        Files.writeString(a.resolve("f.txt"), "to be backed up and deleted\n");
        String shareA = system.manageShare("delete-a", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, shareA);
        assertTrue(Files.isDirectory(system.backups.resolve(backup)), "the backup's data is in the repository");

        assertEquals(404, system.user("mallory", "p2").send("DELETE", "/v2/share-backups/" + backup, null).status(),
                "another project cannot see it, so cannot delete it");
        ApiClient.Response deleted = alice.send("DELETE", "/v2/share-backups/" + backup, null);
        assertEquals(202, deleted.status(), deleted::toString);
        Awaitility.await("the backup is gone").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> alice.get("/v2/share-backups/" + backup).status() == 404);
        assertFalse(Files.exists(system.backups.resolve(backup)), "its folder left the repository");
        assertEquals("available", system.share(shareA).get("status").asText());
        assertEquals("to be backed up and deleted\n", Files.readString(a.resolve("f.txt")), "the share is untouched");
    }
}
