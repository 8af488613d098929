package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.jobs.ClaimService;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.StateRpc;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /admin/jobs and /admin/jobs/{id}: admins only, newest first, with attempts. */
class AdminJobsApiTest extends InProcessGateway {
    private static final String ADMIN = "admin:admin";

    private static List<String> ids(JsonNode jobs) {
        List<String> ids = new ArrayList<>();
        jobs.forEach(job -> ids.add(job.path("id").asText()));
        return ids;
    }

    @Test
    void anAdminSeesJobsNewestFirstWithTheirAttempts() throws Exception {
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
        Job restore = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
        new ClaimService(f.repos(), 30).claim(new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(),
                "node-a"), restore.requestId());
        Share other = f.share("p2", 10, ShareStatus.BACKUP_CREATING);
        Job create = f.job(JobKind.CREATE_BACKUP, f.backup(other, 10, BackupStatus.CREATING), other,
                JobStatus.QUEUED, 0, null);

        ApiClient.Response all = api.call("GET", "/admin/jobs").token(ADMIN).send();
        assertEquals(200, all.status(), all.toString());
        List<String> listed = ids(all.json().path("jobs"));
        assertTrue(listed.indexOf(create.id()) >= 0 && listed.indexOf(create.id()) < listed.indexOf(restore.id()),
                "newest first: " + listed);

        ApiClient.Response shown = api.call("GET", "/admin/jobs/" + restore.id()).token(ADMIN).send();
        assertEquals(200, shown.status(), shown.toString());
        JsonNode job = shown.json().path("job");
        assertEquals(restore.id(), job.path("id").asText());
        assertEquals("restore_backup", job.path("kind").asText());
        assertEquals("running", job.path("status").asText());
        assertEquals(1, job.path("epoch").asInt());
        assertEquals("node-a", job.path("node").asText());
        assertEquals(backup.id(), job.path("backup_id").asText());
        assertEquals(share.id(), job.path("share_id").asText());
        assertEquals(restore.requestId(), job.path("request_id").asText());
        assertTrue(job.path("detail_id").isNull());
        assertTrue(job.path("reason").isNull());
        assertFalse(job.path("lease_expires_at").isNull());
        assertFalse(job.path("created_at").isNull());
        assertFalse(job.path("updated_at").isNull());
        JsonNode attempt = job.path("attempts").get(0);
        assertEquals(1, job.path("attempts").size());
        assertEquals(1, attempt.path("epoch").asInt());
        assertEquals("node-a", attempt.path("node").asText());
        assertEquals("running", attempt.path("outcome").asText());
        assertFalse(attempt.path("started_at").isNull());
        assertTrue(attempt.path("ended_at").isNull());
    }

    @Test
    void filtersNarrowTheList() {
        Share share = f.share("p1", 10, ShareStatus.BACKUP_CREATING);
        Job create = f.job(JobKind.CREATE_BACKUP, f.backup(share, 10, BackupStatus.CREATING), share,
                JobStatus.QUEUED, 0, null);
        Share target = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Job failed = f.job(JobKind.RESTORE, f.backup(target, 10, BackupStatus.AVAILABLE), target,
                JobStatus.FAILED, 1, "node-a");

        List<String> creates = ids(api.call("GET", "/admin/jobs?kind=create_backup&limit=1000").token(ADMIN).send()
                .json().path("jobs"));
        assertTrue(creates.contains(create.id()) && !creates.contains(failed.id()), creates.toString());
        JsonNode failures = api.call("GET", "/admin/jobs?status=failed").token(ADMIN).send().json().path("jobs");
        assertTrue(ids(failures).contains(failed.id()));
        failures.forEach(j -> assertEquals("failed", j.path("status").asText()));
        assertEquals(1, api.call("GET", "/admin/jobs?limit=1").token(ADMIN).send().json().path("jobs").size());
    }

    @Test
    void onlyAdminsMayLook() {
        for (String path : List.of("/admin/jobs", "/admin/jobs/anything", "/admin/parked")) {
            ApiClient.Response refused = api.call("GET", path).token("alice:p1").send();
            assertEquals(403, refused.status(), refused.toString());
            assertEquals("forbidden", refused.fault());
            assertTrue(refused.message().startsWith("Only an admin may use " + path), refused.message());
        }
        assertEquals(401, api.call("GET", "/admin/jobs").token(null).send().status());
    }

    @Test
    void badFiltersAre400AndUnknownJobs404() {
        ApiClient.Response status = api.call("GET", "/admin/jobs?status=sleeping").token(ADMIN).send();
        assertEquals(400, status.status());
        assertEquals("Invalid status 'sleeping': use queued, running, succeeded, failed or cancelled.", status.message());
        ApiClient.Response kind = api.call("GET", "/admin/jobs?kind=migrate_backup").token(ADMIN).send();
        assertEquals(400, kind.status());
        assertEquals("Invalid kind 'migrate_backup': use one of restore_backup, create_backup, delete_backup, create_share, delete_share, shrink_share, verify_backup.", kind.message());
        for (String limit : List.of("0", "-1", "100001", "ten")) {
            ApiClient.Response bad = api.call("GET", "/admin/jobs?limit=" + limit).token(ADMIN).send();
            assertEquals(400, bad.status(), limit);
            assertTrue(bad.message().startsWith("Invalid limit '" + limit + "'"), bad.message());
        }
        ApiClient.Response missing = api.call("GET", "/admin/jobs/no-such-job").token(ADMIN).send();
        assertEquals(404, missing.status());
        assertEquals("itemNotFound", missing.fault());
        assertEquals("Job no-such-job could not be found. List jobs with GET /admin/jobs.", missing.message());
    }

    @Test
    void parkedMessagesNeedABroker() {
        ApiClient.Response none = api.call("GET", "/admin/parked").token(ADMIN).send();
        assertEquals(503, none.status());
        assertEquals("computeFault", none.fault());
        assertTrue(none.message().contains("runs without a broker"), none.message());
    }
}
