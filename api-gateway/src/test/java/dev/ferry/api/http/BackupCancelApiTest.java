package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.messages.JobKind;
import org.junit.jupiter.api.Test;

/** {@code {"cancel": null}} over HTTP: 202, Manila's 400 fault, other projects 404, the admin job document. */
class BackupCancelApiTest extends InProcessGateway {
    private static final String CANCEL = "{\"cancel\": null}";

    private ApiClient.Response cancel(Backup backup, String token) {
        return api.backups("POST", "/v2/share-backups/" + backup.id() + "/action").token(token).body(CANCEL).send();
    }

    private Job queuedRestore(Backup backup) {
        Share target = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        return f.job(JobKind.RESTORE, backup, target, JobStatus.QUEUED, 0, null);
    }

    @Test
    void theOwnerCancelsAQueuedRestoreAndTheJobShowsCancelled() {
        Backup backup = f.backup(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.RESTORING);
        Job job = queuedRestore(backup);

        ApiClient.Response other = cancel(backup, "bob:p2");
        assertEquals(404, other.status(), other.toString());
        assertEquals("itemNotFound", other.fault());
        ApiClient.Response old = api.call("POST", "/v2/share-backups/" + backup.id() + "/action").version("2.79")
                .experimental().body(CANCEL).send();
        assertEquals(404, old.status(), "backup actions need 2.80: " + old);
        assertEquals(JobStatus.QUEUED, f.job(job.id()).status(), "refused cancels change nothing");

        ApiClient.Response r = cancel(backup, "alice:p1");
        assertEquals(202, r.status(), r.toString());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        assertEquals(ShareStatus.AVAILABLE, f.share(job.shareId()).status());

        ApiClient.Response shown = api.call("GET", "/admin/jobs/" + job.id()).token("admin:admin").send();
        JsonNode doc = shown.json().path("job");
        assertEquals("cancelled", doc.path("status").asText(), shown.toString());
        assertEquals("910", doc.path("detail_id").asText());
        assertEquals("cancelled by user alice of project p1", doc.path("reason").asText());

        ApiClient.Response messages = api.call("GET", "/v2/messages?resource_id=" + job.shareId()).version("2.37")
                .send();
        assertEquals("restore share backup: Cancelled by user alice of project p1, before it finished.",
                messages.json().path("messages").get(0).path("user_message").asText(), messages.toString());
    }

    @Test
    void nothingToCancelIs400InManilasFaultShapeAndAnAdminMayCancel() {
        Backup backup = f.backup(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);

        ApiClient.Response idle = cancel(backup, "alice:p1");
        assertEquals(400, idle.status(), idle.toString());
        assertEquals("badRequest", idle.fault());
        assertEquals(400, idle.json().path("badRequest").path("code").asInt());
        assertTrue(idle.message().startsWith("Invalid backup: Backup " + backup.id() + " has no restore"),
                idle.message());

        Backup restoring = f.backup(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.RESTORING);
        Job job = queuedRestore(restoring);
        ApiClient.Response byAdmin = cancel(restoring, "admin:admin");
        assertEquals(202, byAdmin.status(), byAdmin.toString());
        assertEquals(JobStatus.CANCELLED, f.job(job.id()).status());
    }
}
