package dev.ferry.api.http;

import dev.ferry.api.jobs.TestGrants;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import dev.ferry.api.db.DataAccessException;
import dev.ferry.api.db.Database;
import dev.ferry.api.jobs.ClaimService;
import dev.ferry.api.jobs.JobRequeue;
import dev.ferry.api.jobs.LeaseReaper;
import dev.ferry.api.jobs.LeaseService;
import dev.ferry.api.jobs.StateRpcHandler;
import dev.ferry.api.jobs.StatusRpcHandler;
import dev.ferry.api.jobs.TransitionApplier;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.StoppableH2;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database goes away (an H2 server that the test stops) and comes back: requests answer 503 with a
 * fault that says so, the gateway even starts without it, and everything works again without a restart.
 */
class DatabaseOutageTest {
    private static final String DOWN = "The database is not reachable right now; nothing was changed. Retry later.";
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    private StoppableH2 h2;

    @BeforeEach
    void create() {
        h2 = new StoppableH2();
    }

    @AfterEach
    void remove() {
        h2.close();
    }

    private ApiGateway gateway() throws Exception {
        return ApiGateway.start(new ApiConfig("127.0.0.1", 0, h2.url(), "sa", "", null, "noauth", "test-host"));
    }

    private static void assertDown(ApiClient.Response response) {
        assertEquals(503, response.status(), response.toString());
        assertEquals("computeFault", response.fault());
        assertEquals(503, response.json().path("computeFault").path("code").asInt());
        assertEquals(DOWN, response.message());
    }

    @Test
    void requestsAnswer503WhileTheDatabaseIsDownAndWorkAgainOnceItIsBack() throws Exception {
        h2.start();
        try (ApiGateway gateway = gateway(); Database db = Database.open(h2.url(), "sa", "")) {
            ApiClient api = new ApiClient(gateway.port());
            Share share = new Fixtures(db).share("p1", 10, ShareStatus.AVAILABLE);
            assertEquals(200, api.call("GET", "/v2/shares/" + share.id()).send().status());

            h2.stop();
            long started = System.nanoTime();
            assertDown(api.call("GET", "/v2/shares/" + share.id()).send());
            assertDown(api.backups("POST", "/v2/share-backups")
                    .body("{\"share_backup\": {\"share_id\": \"" + share.id() + "\"}}").send());
            assertDown(api.call("GET", "/admin/jobs").token("admin:admin").send());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 20,
                    "each request fails within the pool's connection timeout");
            assertEquals(503, api.call("GET", "/healthz").token(null).send().status());

            h2.start();
            await().atMost(RECOVERY).until(() -> api.call("GET", "/v2/shares/" + share.id()).send().status() == 200);
            assertEquals(200, api.call("GET", "/healthz").token(null).send().status());
        }
    }

    @Test
    void theGatewayStartsWhileTheDatabaseIsDownAndMigratesItOnceItAnswers() throws Exception {
        try (ApiGateway gateway = gateway()) {
            ApiClient api = new ApiClient(gateway.port());
            assertDown(api.call("GET", "/v2/shares").send());
            assertEquals(503, api.call("GET", "/healthz").token(null).send().status());

            h2.start();
            await().atMost(RECOVERY).until(() -> api.call("GET", "/v2/shares").send().status() == 200);
            assertEquals(0, api.call("GET", "/v2/shares").send().json().path("shares").size());
            assertEquals(200, api.call("GET", "/admin/jobs").token("admin:admin").send().status());
        }
    }

    @Test
    void wrongCredentialsStillStopTheStartAndSaySo() {
        h2.start();
        Database.open(h2.url(), "sa", "").close();
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ApiGateway.start(
                new ApiConfig("127.0.0.1", 0, h2.url(), "sa", "wrong", null, "noauth", "test-host")));
        assertTrue(refused.getMessage().contains("check FERRY_DB_URL, FERRY_DB_USER, FERRY_DB_PASSWORD"),
                refused.getMessage());
    }

    @Test
    void theReaperAndTheRpcHandlersSurviveAnOutageAndLoseNothing() throws Exception {
        h2.start();
        try (Database db = Database.open(h2.url(), "sa", "")) {
            Fixtures f = new Fixtures(db);
            CastOutbox outbox = new CastOutbox(f.repos().outbox(), "openstack", () -> { });
            JobRequeue requeue = new JobRequeue(f.repos(), outbox);
            StateRpcHandler state = new StateRpcHandler(new ClaimService(f.repos(), 30),
                    new LeaseService(f.repos(), requeue, outbox, 30));
            StatusRpcHandler status = new StatusRpcHandler(new TransitionApplier(f.repos()));
            Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
            Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
            Job running = f.job(JobKind.RESTORE, backup, share, JobStatus.RUNNING, 1, "node-a",
                    LocalDateTime.now(ZoneOffset.UTC).plusHours(1));
            RequestContext context = RequestContext.service("node-a", running.requestId());
            try (LeaseReaper reaper = new LeaseReaper(f.repos(), requeue, outbox, Duration.ofMillis(200)).start()) {
                h2.stop();
                await().atMost(RECOVERY).until(() -> !reaper.reachesDatabase());
                assertThrows(DataAccessException.class, () -> status.handle(StatusRpc.Transition.succeeded(
                        running.id(), 1, "node-a").toRequest(context)),
                        "a transition that cannot be applied fails as a runtime error, so it goes back to its queue");
                assertThrows(DataAccessException.class, () -> state.handle(new StateRpc.Hold(running.id(), 1,
                        "node-a").renewRequest(context)));
                assertThrows(DataAccessException.class, () -> state.handle(new StateRpc.Claim(JobKind.RESTORE,
                        backup.toRow(), share.id(), "node-b").toRequest(context)));

                h2.start();
                await().atMost(RECOVERY).until(reaper::reachesDatabase);
                assertEquals(JobStatus.RUNNING, f.job(running.id()).status(), "nothing was applied while down");
                status.handle(TestGrants.signed(f.repos(), StatusRpc.Transition.succeeded(running.id(), 1, "node-a"))
                        .toRequest(context));
                assertEquals(JobStatus.SUCCEEDED, f.job(running.id()).status(), "the redelivered transition applies");

                Share other = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
                Job expired = f.job(JobKind.RESTORE, f.backup(other, 10, BackupStatus.RESTORING), other,
                        JobStatus.RUNNING, 1, "node-a", LocalDateTime.now(ZoneOffset.UTC).minusMinutes(1));
                await().atMost(RECOVERY).until(() -> f.job(expired.id()).status() == JobStatus.QUEUED);
                assertEquals(2, f.job(expired.id()).epoch());
            }
        }
    }
}
