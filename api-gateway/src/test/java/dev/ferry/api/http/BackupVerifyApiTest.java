package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * {@code {"verify": null}} over HTTP: 202 and a queued verify_backup job cast to manila-data, the backup left
 * available (and restorable); 400 without a manifest; 404 for another project's backup and below 2.80 or without
 * the experimental header; a delete ends a running verify; the admin job views show and filter the kind.
 */
class BackupVerifyApiTest extends InProcessGateway {
    private static final String VERIFY = "{\"verify\": null}";

    private ApiClient.Response verify(Backup backup, String token) {
        return api.backups("POST", "/v2/share-backups/" + backup.id() + "/action").token(token).body(VERIFY).send();
    }

    private List<Job> verifications(Backup backup) {
        return f.repos().database().read(c -> f.repos().jobs().forBackup(c, JobKind.VERIFY_BACKUP, backup.id()));
    }

    @Test
    void theOwnerVerifiesABackupThatStaysAvailableAndRestorable() throws Exception {
        Backup backup = f.backupWithManifest(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);

        ApiClient.Response r = verify(backup, "alice:p1");

        assertEquals(202, r.status(), r.toString());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status(), "a verify changes no status");
        List<Job> jobs = verifications(backup);
        assertEquals(1, jobs.size());
        assertEquals(JobStatus.QUEUED, jobs.get(0).status());
        assertEquals(backup.shareId(), jobs.get(0).shareId());
        String requestId = r.header("X-OpenStack-Request-Id");
        List<OutboxMessage> casts = f.repos().database().read(c -> f.repos().outbox().forRequest(c, requestId));
        assertEquals(1, casts.size());
        assertEquals(DataRpc.VERIFY_TOPIC, casts.get(0).routingKey());
        RpcRequest cast = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, casts.get(0).body());
        assertEquals("verify_backup", cast.method());
        assertEquals("1.1", cast.version());
        assertEquals(List.of("backup"), List.copyOf(iterable(cast.args().fieldNames())));
        DataRpc.VerifyBackup parsed = assertInstanceOf(DataRpc.VerifyBackup.class, DataRpc.parse(cast));
        assertEquals(backup.id(), parsed.backup().id());
        assertEquals("alice", cast.context().userId());

        ApiClient.Response again = verify(backup, "alice:p1");
        assertEquals(400, again.status(), again.toString());
        assertTrue(again.message().contains("is being verified already"), again.message());

        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        ApiClient.Response restore = api.backups("POST", "/v2/share-backups/" + backup.id() + "/action")
                .body("{\"restore\": \"" + target.id() + "\"}").send();
        assertEquals(202, restore.status(), "a backup being verified may be restored: " + restore);
        assertEquals(JobStatus.QUEUED, f.job(jobs.get(0).id()).status(), "the restore leaves the verify alone");

        ApiClient.Response listed = api.call("GET", "/admin/jobs?kind=verify_backup").token("admin:admin").send();
        assertEquals(200, listed.status(), listed.toString());
        JsonNode shown = listed.json().path("jobs");
        assertTrue(shown.size() >= 1, listed.toString());
        for (JsonNode job : shown) {
            assertEquals("verify_backup", job.path("kind").asText());
        }
        ApiClient.Response one = api.call("GET", "/admin/jobs/" + jobs.get(0).id()).token("admin:admin").send();
        assertEquals("verify_backup", one.json().path("job").path("kind").asText(), one.toString());
    }

    @Test
    void aBackupWithoutAManifestIs400AndNothingIsQueued() {
        Backup old = f.backup(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);

        ApiClient.Response r = verify(old, "alice:p1");

        assertEquals(400, r.status(), r.toString());
        assertEquals("badRequest", r.fault());
        assertEquals(400, r.json().path("badRequest").path("code").asInt());
        assertEquals("Backup " + old.id() + " has no manifest: it was made before Ferry recorded the contents of "
                + "backups, so it can only be restored in full", r.message());
        assertEquals(List.of(), verifications(old));
    }

    @Test
    void otherProjectsOldVersionsAndMissingBackupsAre404AnAdminMayVerify() {
        Backup backup = f.backupWithManifest(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);

        ApiClient.Response other = verify(backup, "bob:p2");
        assertEquals(404, other.status(), other.toString());
        assertEquals("itemNotFound", other.fault());
        ApiClient.Response missing = api.backups("POST", "/v2/share-backups/no-such-backup/action").body(VERIFY)
                .send();
        assertEquals(404, missing.status(), missing.toString());
        ApiClient.Response old = api.call("POST", "/v2/share-backups/" + backup.id() + "/action").version("2.79")
                .experimental().body(VERIFY).send();
        assertEquals(404, old.status(), "backup actions need 2.80: " + old);
        ApiClient.Response notExperimental = api.call("POST", "/v2/share-backups/" + backup.id() + "/action")
                .version("2.91").body(VERIFY).send();
        assertEquals(404, notExperimental.status(), "backup actions need the experimental header: "
                + notExperimental);
        ApiClient.Response reader = verify(backup, "admin:admin");
        assertEquals(202, reader.status(), "an admin may verify any backup: " + reader);
        assertEquals(1, verifications(backup).size(), "refused requests queued nothing");
    }

    @Test
    void deletingTheBackupEndsARunningVerify() {
        Share share = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backupWithManifest(share, 10, BackupStatus.AVAILABLE);
        Job running = f.job(JobKind.VERIFY_BACKUP, backup, share, JobStatus.RUNNING, 1, "node-a");

        ApiClient.Response r = api.backups("DELETE", "/v2/share-backups/" + backup.id()).send();

        assertEquals(202, r.status(), r.toString());
        Job ended = f.job(running.id());
        assertEquals(JobStatus.CANCELLED, ended.status());
        assertEquals("910", ended.detailId());
        assertEquals(BackupStatus.DELETING, f.backup(backup.id()).status());
        ApiClient.Response messages = api.call("GET", "/v2/messages?resource_id=" + backup.id()).version("2.37")
                .send();
        assertEquals(0, messages.json().path("messages").size(), "a deleted backup's verify leaves no message: "
                + messages);
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
