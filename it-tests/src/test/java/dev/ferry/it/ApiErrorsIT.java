package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The restore action's refusals, as Manila answers them, against the real api-gateway process. */
class ApiErrorsIT {
    private static FerrySystem system;
    private static ApiClient alice;
    private static String backup;
    private static String shareA;

    private static String backup2;
    private static String backup3;
    private static String backup4;

    /**
     * Backups are made with a data node, which is then stopped: restores accepted afterwards stay in
     * flight, so the status checks below see a share or backup that is busy, deterministically.
     */
    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("errors", true);
        FerryProcess node = system.startDataNode("node-1", Map.of());
        alice = system.user("alice", "p1");
        Path a = system.newExport("a");
        Files.writeString(a.resolve("f.txt"), "data\n");
        shareA = system.manageShare("a", "NFS", a, 2, "p1");
        backup = system.createBackup(alice, shareA);
        backup2 = system.createBackup(alice, shareA);
        backup3 = system.createBackup(alice, shareA);
        backup4 = system.createBackup(alice, shareA);
        assertEquals(0, node.stop(Duration.ofSeconds(30)), "the data node drains and exits 0 on SIGTERM");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    private static void assertFault(int status, String fault, String message, ApiClient.Response response) {
        assertEquals(status, response.status(), response::toString);
        JsonNode body = response.body().get(fault);
        assertEquals(status, body.get("code").asInt(), response::toString);
        if (message != null) {
            assertEquals(message, body.get("message").asText());
        }
    }

    private static ApiClient.Response restore(ApiClient client, String backupId, String target) throws Exception {
        return client.post("/v2/share-backups/" + backupId + "/action",
                target == null ? "{\"restore\": null}" : "{\"restore\": \"" + target + "\"}");
    }

    @Test
    void unknownBackupIs404() throws Exception {
        String id = "0c7a3f4e-5d1b-4c2a-9e8f-000000000000";
        assertFault(404, "itemNotFound", "No backup exists with ID " + id + ".", restore(alice, id, null));
    }

    @Test
    void anotherProjectsBackupIs404() throws Exception {
        assertFault(404, "itemNotFound", "No backup exists with ID " + backup + ".",
                restore(system.user("mallory", "p2"), backup, null));
    }

    @Test
    void invisibleTargetIs404AndOtherProjectsPublicTargetIs403() throws Exception {
        Path hidden = system.newExport("hidden");
        String privateShare = system.manageShare("hidden", "NFS", hidden, 5, "p2");
        assertEquals(404, restore(alice, backup, privateShare).status());
        assertEquals(404, restore(alice, backup, "5b2e8d90-3f4a-4c6b-8d7e-000000000000").status());

        Path open = system.newExport("public");
        ApiClient.Response manage = system.admin().post("/v2/shares/manage", Map.of("share", Map.of(
                "protocol", "NFS", "export_path", open.toString(), "name", "public", "size", 5,
                "project_id", "p2", "is_public", true)));
        assertEquals(200, manage.status(), manage::toString);
        String publicShare = manage.body().at("/share/id").asText();
        assertEquals(200, alice.get("/v2/shares/" + publicShare).status(), "a public share is visible");
        assertFault(403, "forbidden", null, restore(alice, backup, publicShare));
        assertEquals("available", system.share(publicShare).get("status").asText(), "nothing changed");
    }

    @Test
    void targetTooSmallIs400() throws Exception {
        String small = system.manageShare("small", "NFS", system.newExport("small"), 1, "p1");
        assertFault(400, "badRequest", "Invalid share: Share size 1 is too small to restore backup of size 2.",
                restore(alice, backup, small));
    }

    @Test
    void backupOrTargetNotAvailableIs400() throws Exception {
        String t1 = system.manageShare("t1", "NFS", system.newExport("t1"), 5, "p1");
        String t2 = system.manageShare("t2", "NFS", system.newExport("t2"), 5, "p1");
        assertEquals(202, restore(alice, backup2, t1).status());
        assertEquals("restoring", system.backup(backup2).get("status").asText());
        assertEquals("backup_restoring", system.share(t1).get("status").asText());
        assertFault(400, "badRequest", "Invalid backup: Backup " + backup2 + " status must be available.",
                restore(alice, backup2, t2));
        assertFault(400, "badRequest", "Invalid share: Share to be restored to must be available. Share " + t1
                + " is 'backup_restoring' (a backup is being restored into it; retry when it is available).",
                restore(alice, backup3, t1));
        assertEquals("available", system.backup(backup3).get("status").asText(), "a refused restore changes nothing");
        assertEquals("available", system.share(t2).get("status").asText());
    }

    @Test
    void missingExperimentalHeaderOrOldVersionIs404() throws Exception {
        assertFault(404, "itemNotFound", null, alice.withoutExperimental().get("/v2/share-backups/" + backup));
        assertFault(404, "itemNotFound", null, alice.atVersion(null).get("/v2/share-backups/" + backup));
        assertFault(404, "itemNotFound", null, alice.atVersion("2.79").get("/v2/share-backups/" + backup));
    }

    @Test
    void targetIsIgnoredBelow291() throws Exception {
        String other = system.manageShare("other", "NFS", system.newExport("other"), 5, "p1");
        ApiClient.Response response = restore(alice.atVersion("2.90"), backup4, other);
        assertEquals(202, response.status(), response::toString);
        assertEquals(shareA, response.body().at("/restore/share_id").asText(), "below 2.91 restore goes to the source");
        assertEquals("backup_restoring", system.share(shareA).get("status").asText());
        assertEquals("available", system.share(other).get("status").asText());
    }
}
