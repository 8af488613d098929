package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.jobs.ClaimService;
import dev.ferry.api.jobs.TransitionApplier;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.OutboxMessage;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc.Transition;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code DELETE /v2/share-backups/{id}} (manila-behaviour.md §1.5 "Delete", §2.4). */
class BackupDeleteApiTest extends InProcessGateway {

    private Backup backup(String project, BackupStatus status) {
        return f.backup(f.share(project, 10, ShareStatus.AVAILABLE), 10, status);
    }

    private ApiClient.Response delete(Backup backup) {
        return api.backups("DELETE", "/v2/share-backups/" + backup.id()).send();
    }

    private List<Job> deleteJobs(Backup backup) {
        return f.repos().database().read(c -> f.repos().jobs().forBackup(c, JobKind.DELETE_BACKUP, backup.id()));
    }

    @ParameterizedTest
    @EnumSource(value = BackupStatus.class, names = {"AVAILABLE", "ERROR"})
    void aDeleteAnswers202WithAnEmptyBodyAndQueuesTheJobAndTheCast(BackupStatus status) throws Exception {
        Backup backup = backup("p1", status);

        ApiClient.Response r = delete(backup);

        assertEquals(202, r.status(), r.toString());
        assertTrue(r.text().isEmpty(), r.toString());
        assertEquals(BackupStatus.DELETING, f.backup(backup.id()).status());
        List<Job> jobs = deleteJobs(backup);
        assertEquals(1, jobs.size());
        Job job = jobs.get(0);
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(0, job.epoch());
        assertEquals(backup.shareId(), job.shareId());
        String requestId = r.header("X-OpenStack-Request-Id");
        assertEquals(requestId, job.requestId());

        List<OutboxMessage> casts = f.repos().database().read(c -> f.repos().outbox().forRequest(c, requestId));
        assertEquals(1, casts.size());
        assertEquals(DataRpc.TOPIC, casts.get(0).routingKey());
        RpcRequest cast = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, casts.get(0).body());
        assertEquals(DataRpc.DELETE_BACKUP, cast.method());
        DataRpc.DeleteBackup parsed = assertInstanceOf(DataRpc.DeleteBackup.class, DataRpc.parse(cast));
        assertEquals(backup.id(), parsed.backup().id());
        assertEquals(backup.shareId(), parsed.backup().shareId());
        assertEquals("deleting", parsed.backup().status());
        assertEquals("alice", cast.context().userId());
        assertEquals("p1", cast.context().projectId());
        assertEquals(requestId, cast.requestId());
    }

    @Test
    void anUnknownOrInvisibleBackupIs404() {
        String unknown = "00000000-0000-4000-8000-00000000dead";
        ApiClient.Response r = api.backups("DELETE", "/v2/share-backups/" + unknown).send();
        assertEquals(404, r.status(), r.toString());
        assertEquals("No backup exists with ID " + unknown + ".", r.message());

        Backup foreign = backup("p2", BackupStatus.AVAILABLE);
        ApiClient.Response other = delete(foreign);
        assertEquals(404, other.status(), other.toString());
        assertEquals("No backup exists with ID " + foreign.id() + ".", other.message());
        assertEquals(BackupStatus.AVAILABLE, f.backup(foreign.id()).status());
        assertEquals(List.of(), deleteJobs(foreign));
    }

    @ParameterizedTest
    @EnumSource(value = BackupStatus.class, names = {"CREATING", "RESTORING", "DELETING", "ERROR_DELETING"})
    void onlyAnAvailableOrErrorBackupMayBeDeleted(BackupStatus status) {
        Backup backup = backup("p1", status);

        ApiClient.Response r = delete(backup);

        assertEquals(400, r.status(), r.toString());
        assertEquals("Invalid backup: Backup " + backup.id() + " status must be available or error.", r.message());
        assertEquals(status, f.backup(backup.id()).status());
        assertEquals(List.of(), deleteJobs(backup));
    }

    @Test
    void anAdminMayDeleteAnyProjectsBackup() {
        Backup backup = backup("p3", BackupStatus.AVAILABLE);
        ApiClient.Response admin = api.backups("DELETE", "/v2/share-backups/" + backup.id()).token("admin:ops")
                .send();
        assertEquals(202, admin.status(), admin.toString());
        assertEquals(BackupStatus.DELETING, f.backup(backup.id()).status());
    }

    @Test
    void aDeletedBackupIsNeverShownNotEvenToAnAdmin() throws Exception {
        Backup backup = backup("p1", BackupStatus.AVAILABLE);
        String requestId = delete(backup).header("X-OpenStack-Request-Id");
        ClaimService claims = new ClaimService(f.repos(), 30);
        StateRpc.Grant grant = claims.claim(new StateRpc.Claim(JobKind.DELETE_BACKUP, f.backup(backup.id()).toRow(),
                null, "node-a"), requestId);
        new TransitionApplier(f.repos()).apply(Transition.succeeded(grant.jobId(), grant.epoch(), "node-a").withSecret(grant.secret()));

        assertEquals(404, api.backups("GET", "/v2/share-backups/" + backup.id()).send().status());
        assertEquals(404, api.backups("GET", "/v2/share-backups/" + backup.id()).token("admin:ops").send().status());
        assertEquals(404, delete(backup).status());
        for (String list : List.of("/v2/share-backups", "/v2/share-backups/detail?all_tenants=1")) {
            JsonNode items = api.backups("GET", list).token("admin:ops").send().json().path("share_backups");
            for (JsonNode item : items) {
                assertTrue(!backup.id().equals(item.path("id").asText()), list);
            }
        }
    }
}
