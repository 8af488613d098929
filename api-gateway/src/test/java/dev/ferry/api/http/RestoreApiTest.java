package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.OutboxMessage;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.RpcRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreApiTest extends InProcessGateway {

    /** A backup of a fresh 10 GiB share of p1, in the given status. */
    private Backup backup(BackupStatus status) {
        return f.backup(f.share("p1", 10, ShareStatus.AVAILABLE), 10, status);
    }

    private ApiClient.Response restore(Backup backup, String body) {
        return api.backups("POST", "/v2/share-backups/" + backup.id() + "/action").body(body).send();
    }

    private static String into(Share target) {
        return "{\"restore\": \"" + target.id() + "\"}";
    }

    private static void assertFault(ApiClient.Response r, int status, String fault, String message) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(fault, r.fault(), r.toString());
        assertEquals(message, r.message());
    }

    @Test
    void aRestoreIntoATargetAnswers202WithTheJobAndTheCastQueued() throws Exception {
        Backup backup = backup(BackupStatus.AVAILABLE);
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);

        ApiClient.Response r = restore(backup, into(target));

        assertEquals(202, r.status(), r.toString());
        assertEquals(backup.id(), r.json().path("restore").path("backup_id").asText());
        assertEquals(target.id(), r.json().path("restore").path("share_id").asText());
        assertEquals(BackupStatus.RESTORING, f.backup(backup.id()).status());
        assertEquals("0", f.backup(backup.id()).restoreProgress());
        Share restoring = f.share(target.id());
        assertEquals(ShareStatus.BACKUP_RESTORING, restoring.status());
        assertEquals(backup.id(), restoring.sourceBackupId());
        assertEquals(ShareStatus.AVAILABLE, f.share(backup.shareId()).status(), "the source share is not touched");

        List<Job> jobs = f.repos().database().read(c -> f.repos().jobs().forBackup(c, JobKind.RESTORE, backup.id()));
        assertEquals(1, jobs.size());
        assertEquals(JobStatus.QUEUED, jobs.get(0).status());
        assertEquals(0, jobs.get(0).epoch());
        assertEquals(target.id(), jobs.get(0).shareId());
        String requestId = r.header("X-OpenStack-Request-Id");
        assertEquals(requestId, jobs.get(0).requestId());

        List<OutboxMessage> casts = f.repos().database().read(c -> f.repos().outbox().forRequest(c, requestId));
        assertEquals(1, casts.size());
        assertEquals("manila-data", casts.get(0).routingKey());
        RpcRequest cast = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, casts.get(0).body());
        assertEquals("restore_backup", cast.method());
        assertEquals("1.1", cast.version());
        DataRpc.RestoreBackup parsed = assertInstanceOf(DataRpc.RestoreBackup.class, DataRpc.parse(cast));
        assertEquals(backup.id(), parsed.backup().id());
        assertEquals(backup.shareId(), parsed.backup().shareId());
        assertEquals("available", parsed.backup().status(), "the row as read before the update");
        assertEquals(target.id(), parsed.shareId());
        assertEquals("alice", cast.context().userId());
        assertEquals("p1", cast.context().projectId());
        assertEquals(requestId, cast.requestId());
    }

    @Test
    void aNullTargetRestoresIntoTheSourceShare() {
        Backup backup = backup(BackupStatus.AVAILABLE);
        ApiClient.Response r = restore(backup, "{\"restore\": null}");
        assertEquals(202, r.status(), r.toString());
        assertEquals(backup.shareId(), r.json().path("restore").path("share_id").asText());
        assertEquals(ShareStatus.BACKUP_RESTORING, f.share(backup.shareId()).status());
    }

    @Test
    void atTwoNinetyTheTargetIsIgnoredAndTheSourceIsRestored() {
        Backup backup = backup(BackupStatus.AVAILABLE);
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        ApiClient.Response r = api.call("POST", "/v2/share-backups/" + backup.id() + "/action").version("2.90")
                .experimental().body(into(target)).send();
        assertEquals(202, r.status(), r.toString());
        assertEquals(backup.shareId(), r.json().path("restore").path("share_id").asText());
        assertEquals(ShareStatus.AVAILABLE, f.share(target.id()).status());
        assertEquals(ShareStatus.BACKUP_RESTORING, f.share(backup.shareId()).status());
    }

    @Test
    void unknownAndForeignBackupsAreNotFound() {
        ApiClient.Response unknown = api.backups("POST", "/v2/share-backups/nope/action").body("{\"restore\": null}")
                .send();
        assertFault(unknown, 404, "itemNotFound", "No backup exists with ID nope.");
        Backup foreign = f.backup(f.share("p2", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);
        assertFault(restore(foreign, "{\"restore\": null}"), 404, "itemNotFound",
                "No backup exists with ID " + foreign.id() + ".");
        assertEquals(BackupStatus.AVAILABLE, f.backup(foreign.id()).status());
    }

    @Test
    void anInvisibleTargetIsNotFoundAndAnotherProjectsPublicShareIsForbidden() {
        Backup backup = backup(BackupStatus.AVAILABLE);
        Share privateForeign = f.share("p2", 10, ShareStatus.AVAILABLE);
        Share publicForeign = f.share("p2", 10, ShareStatus.AVAILABLE, "NFS", true);
        assertFault(restore(backup, "{\"restore\": \"no-such-share\"}"), 404, "itemNotFound",
                "NotFound: Resource could not be found.");
        assertFault(restore(backup, into(privateForeign)), 404, "itemNotFound",
                "NotFound: Resource could not be found.");
        ApiClient.Response forbidden = restore(backup, into(publicForeign));
        assertEquals(403, forbidden.status(), forbidden.toString());
        assertEquals("forbidden", forbidden.fault());
        assertTrue(forbidden.message().contains("only its owning project or an admin"), forbidden.message());
        assertEquals(ShareStatus.AVAILABLE, f.share(publicForeign.id()).status());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
    }

    @Test
    void anAdminMayRestoreIntoAnyProjectsShare() {
        Backup backup = backup(BackupStatus.AVAILABLE);
        Share foreign = f.share("p2", 10, ShareStatus.AVAILABLE);
        ApiClient.Response r = api.backups("POST", "/v2/share-backups/" + backup.id() + "/action").token("admin:ops")
                .body(into(foreign)).send();
        assertEquals(202, r.status(), r.toString());
    }

    @Test
    void statusAndSizeChecksAreManilas() {
        Backup creating = backup(BackupStatus.CREATING);
        assertFault(restore(creating, "{\"restore\": null}"), 400, "badRequest",
                "Invalid backup: Backup " + creating.id() + " status must be available.");
        Backup backup = backup(BackupStatus.AVAILABLE);
        Share broken = f.share("p1", 10, ShareStatus.ERROR);
        assertFault(restore(backup, into(broken)), 400, "badRequest",
                "Invalid share: Share to be restored to must be available. Share " + broken.id()
                        + " is 'error' (an admin must reset its status first).");
        assertFault(restore(backup, into(f.share("p1", 9, ShareStatus.AVAILABLE))), 400, "badRequest",
                "Invalid share: Share size 9 is too small to restore backup of size 10.");
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        assertEquals(202, restore(backup, into(f.share("p1", 10, ShareStatus.AVAILABLE))).status(),
                "an equal size fits");
        assertFault(restore(backup, "{\"restore\": null}"), 400, "badRequest",
                "Invalid backup: Backup " + backup.id() + " status must be available.");
    }

    @Test
    void withoutTheExperimentalHeaderOrBelowTwoEightyThereIsNoBackupApi() {
        Backup backup = backup(BackupStatus.AVAILABLE);
        String path = "/v2/share-backups/" + backup.id() + "/action";
        assertFault(api.call("POST", path).version("2.91").body("{\"restore\": null}").send(), 404, "itemNotFound",
                "The resource could not be found.");
        assertFault(api.call("POST", path).version("2.91").header("X-OpenStack-Manila-API-Experimental", "false")
                .body("{\"restore\": null}").send(), 404, "itemNotFound", "The resource could not be found.");
        assertFault(api.call("POST", path).experimental().body("{\"restore\": null}").send(), 404, "itemNotFound",
                "The resource could not be found.");
        assertFault(api.call("POST", path).version("2.79").experimental().body("{\"restore\": null}").send(), 404,
                "itemNotFound", "The resource could not be found.");
        assertEquals(202, api.call("POST", path).version("2.80").header("X-OpenStack-Manila-API-Experimental", "YES")
                .body("{\"restore\": null}").send().status(), "the header value is bool-like and case-insensitive");
    }

    @Test
    void unsupportedVersionsAre406() {
        Backup backup = backup(BackupStatus.AVAILABLE);
        for (String version : new String[] {"2.92", "3.0"}) {
            ApiClient.Response r = api.call("POST", "/v2/share-backups/" + backup.id() + "/action").version(version)
                    .experimental().body("{\"restore\": null}").send();
            assertFault(r, 406, "computeFault", "Version " + version
                    + " is not supported by the API. Minimum is 2.0 and maximum is 2.91.");
        }
        ApiClient.Response malformed = api.call("POST", "/v2/share-backups/" + backup.id() + "/action")
                .version("2.91.0").experimental().body("{\"restore\": null}").send();
        assertEquals(400, malformed.status());
        assertEquals("badRequest", malformed.fault());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
    }

    @Test
    void malformedActionBodiesAre400() {
        Backup backup = backup(BackupStatus.AVAILABLE);
        for (String body : new String[] {"", "[]", "\"restore\"", "{}", "{\"restore\": null, \"x\": 1}", "{oops"}) {
            assertFault(restore(backup, body), 400, "badRequest", "Malformed request body");
        }
        assertFault(restore(backup, "{\"reboot\": null}"), 400, "badRequest", "There is no such action: reboot");
        ApiClient.Response notAString = restore(backup, "{\"restore\": 12}");
        assertEquals(400, notAString.status());
        assertTrue(notAString.message().contains("share's ID as a string"), notAString.message());
        // the object form names its target in share_id (SelectiveRestoreApiTest has its refusals)
        assertFault(restore(backup, "{\"restore\": {\"share_id\": \"x\"}}"), 404, "itemNotFound",
                "NotFound: Resource could not be found.");
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
    }
}
