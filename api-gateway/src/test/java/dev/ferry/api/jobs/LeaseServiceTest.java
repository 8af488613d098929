package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobAttempt;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.OutboxMessage;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.api.testing.TestClock;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.FailureReasons;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** renew_lease and release_job, and what a node that lost its job can still do (nothing). */
class LeaseServiceTest extends OnBothDatabases {
    private static final int LEASE = 30;

    /** One restore of a backup into its own share, queued by the API, and the services around it. */
    private record Setup(Fixtures f, TestClock clock, Share share, Backup backup, Job job, ClaimService claims,
                         LeaseService leases, TransitionApplier transitions) {

        StateRpc.Grant claimBy(String node, String requestId) throws RpcFailureException {
            return claims.claim(new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), node), requestId);
        }

        List<OutboxMessage> outbox() {
            return f.repos().database().read(c -> f.repos().outbox().unsent(c, 100));
        }

        List<JobAttempt> attempts() {
            return f.repos().database().read(c -> f.repos().attempts().forJob(c, job.id()));
        }
    }

    private Setup setup(Engine engine) {
        TestClock clock = new TestClock();
        Fixtures f = new Fixtures(dbs.fresh(engine), clock);
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
        CastOutbox outbox = new CastOutbox(f.repos().outbox(), "openstack", () -> { });
        return new Setup(f, clock, share, backup, job, new ClaimService(f.repos(), LEASE),
                new LeaseService(f.repos(), new JobRequeue(f.repos(), outbox), outbox, LEASE),
                new TransitionApplier(f.repos()));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aClaimStartsALeaseThatTheHolderRenews(Engine engine) throws Exception {
        Setup s = setup(engine);
        StateRpc.Grant grant = s.claimBy("node-a", s.job().requestId());
        assertEquals(LEASE, grant.leaseSeconds());
        assertEquals(s.f().job(s.job().id()).createdAt().plusSeconds(LEASE), s.f().job(s.job().id()).leaseExpiresAt());

        s.clock().advance(Duration.ofSeconds(20));
        assertEquals(LEASE, s.leases().renew(TestGrants.signed(s.f().repos(), new StateRpc.Hold(s.job().id(), 1, "node-a"))));

        Job renewed = s.f().job(s.job().id());
        assertEquals(s.f().job(s.job().id()).createdAt().plusSeconds(20 + LEASE), renewed.leaseExpiresAt());
        assertEquals(JobStatus.RUNNING, renewed.status());
        assertEquals(1, renewed.epoch());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void onlyTheHolderAtItsEpochMayRenew(Engine engine) throws Exception {
        Setup s = setup(engine);
        s.claimBy("node-a", s.job().requestId());
        Job before = s.f().job(s.job().id());

        assertLeaseLost(() -> s.leases().renew(TestGrants.signed(s.f().repos(), new StateRpc.Hold(s.job().id(), 1, "node-b"))),
                "job " + s.job().id() + " is no longer held by node node-b at epoch 1: it is running at epoch 1 on "
                        + "node node-a");
        assertLeaseLost(() -> s.leases().renew(TestGrants.signed(s.f().repos(), new StateRpc.Hold(s.job().id(), 0, "node-a"))),
                "is no longer held by node node-a at epoch 0");
        assertLeaseLost(() -> s.leases().renew(TestGrants.signed(s.f().repos(), new StateRpc.Hold("no-such-job", 1, "node-a"))),
                "the job does not exist");
        assertEquals(before, s.f().job(s.job().id()), "a refused renewal changes nothing");

        s.transitions().apply(TestGrants.signed(s.f().repos(), Transition.succeeded(s.job().id(), 1, "node-a")));
        assertLeaseLost(() -> s.leases().renew(TestGrants.signed(s.f().repos(), new StateRpc.Hold(s.job().id(), 1, "node-a"))),
                "it already succeeded");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aReleasedVerificationIsCastAgainOnItsOwnTopic(Engine engine) throws Exception {
        Setup s = setup(engine);
        Backup sound = s.f().backupWithManifest(s.share(), 10, BackupStatus.AVAILABLE);
        Job verify = s.f().job(JobKind.VERIFY_BACKUP, sound, s.share(), JobStatus.QUEUED, 0, null);
        s.claims().claim(new StateRpc.Claim(JobKind.VERIFY_BACKUP, sound.toRow(), s.share().id(), "node-a"),
                verify.requestId());

        s.leases().release(TestGrants.signed(s.f().repos(), new StateRpc.Hold(verify.id(), 1, "node-a")),
                "node-a is draining");

        assertEquals(JobStatus.QUEUED, s.f().job(verify.id()).status());
        List<OutboxMessage> casts = s.outbox();
        assertEquals(1, casts.size());
        assertEquals(DataRpc.VERIFY_TOPIC, casts.get(0).routingKey());
        assertEquals("openstack", casts.get(0).exchange());
        RpcRequest cast = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, casts.get(0).body());
        assertEquals(sound.id(), ((DataRpc.VerifyBackup) DataRpc.parse(cast)).backup().id());
        assertEquals(verify.requestId(), cast.requestId());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aReleaseQueuesTheJobAtTheNextEpochAndCastsItAgainWithItsRequestId(Engine engine) throws Exception {
        Setup s = setup(engine);
        s.claimBy("node-a", s.job().requestId());

        s.leases().release(TestGrants.signed(s.f().repos(), new StateRpc.Hold(s.job().id(), 1, "node-a")), "node-a is draining");

        Job released = s.f().job(s.job().id());
        assertEquals(JobStatus.QUEUED, released.status());
        assertEquals(2, released.epoch());
        assertNull(released.node());
        assertNull(released.leaseExpiresAt());
        JobAttempt attempt = s.attempts().get(0);
        assertEquals("released: node-a is draining", attempt.outcome());
        assertEquals("node-a", attempt.node());
        assertEquals(1, attempt.epoch());
        List<OutboxMessage> casts = s.outbox();
        assertEquals(1, casts.size());
        assertEquals(DataRpc.TOPIC, casts.get(0).routingKey());
        assertEquals("openstack", casts.get(0).exchange());
        RpcRequest cast = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, casts.get(0).body());
        DataRpc.RestoreBackup restore = (DataRpc.RestoreBackup) DataRpc.parse(cast);
        assertEquals(s.backup().id(), restore.backup().id());
        assertEquals(s.share().id(), restore.shareId());
        assertEquals(s.job().requestId(), cast.requestId());
        assertEquals(s.job().requestId(), casts.get(0).requestId());
        assertEquals(s.backup().projectId(), cast.context().projectId());
        assertEquals(s.backup().userId(), cast.context().userId());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aReleaseThatHoldsNothingIsLeaseLostAndChangesNothing(Engine engine) throws Exception {
        Setup s = setup(engine);
        s.claimBy("node-a", s.job().requestId());

        assertLeaseLost(() -> s.leases().release(TestGrants.signed(s.f().repos(), new StateRpc.Hold(s.job().id(), 1, "node-b")), "draining"),
                "is no longer held by node node-b at epoch 1");
        assertLeaseLost(() -> s.leases().release(TestGrants.signed(s.f().repos(), new StateRpc.Hold(s.job().id(), 7, "node-a")), "draining"),
                "is no longer held by node node-a at epoch 7");
        s.leases().release(TestGrants.signed(s.f().repos(), new StateRpc.Hold(s.job().id(), 1, "node-a")), "draining");
        assertLeaseLost(() -> s.leases().release(TestGrants.signed(s.f().repos(), new StateRpc.Hold(s.job().id(), 1, "node-a")), "draining"),
                "it is queued again at epoch 2");

        assertEquals(1, s.outbox().size(), "only the one release that held the job cast it again");
        assertEquals(2, s.f().job(s.job().id()).epoch());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theCastSentAgainIsClaimedWhileTheOldHoldersTransitionsAreDropped(Engine engine) throws Exception {
        Setup s = setup(engine);
        s.claimBy("node-a", s.job().requestId());
        s.leases().release(TestGrants.signed(s.f().repos(), new StateRpc.Hold(s.job().id(), 1, "node-a")), "draining");
        RpcRequest cast = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, s.outbox().get(0).body());

        StateRpc.Grant second = s.claimBy("node-b", cast.requestId());

        assertEquals(s.job().id(), second.jobId(), "the re-sent cast (same request id) finds the queued job");
        assertEquals(3, second.epoch());
        assertEquals(TransitionApplier.Result.DROPPED,
                s.transitions().apply(TestGrants.signed(s.f().repos(), Transition.succeeded(s.job().id(), 1, "node-a"))));
        assertEquals(TransitionApplier.Result.DROPPED,
                s.transitions().apply(TestGrants.signed(s.f().repos(), Transition.progress(s.job().id(), 1, "node-a", 50))));
        assertEquals(BackupStatus.RESTORING, s.f().backup(s.backup().id()).status());
        assertEquals("0", s.f().backup(s.backup().id()).restoreProgress());
        assertEquals(TransitionApplier.Result.APPLIED,
                s.transitions().apply(TestGrants.signed(s.f().repos(), Transition.succeeded(s.job().id(), 3, "node-b"))));
        assertEquals(JobStatus.SUCCEEDED, s.f().job(s.job().id()).status());
        assertEquals(List.of("released: draining", "succeeded"),
                s.attempts().stream().map(JobAttempt::outcome).toList());
        assertEquals(List.of("node-a", "node-b"), s.attempts().stream().map(JobAttempt::node).toList());
    }

    /** A node's release reason is its own text: stored bounded, without control characters (PostgreSQL refuses NUL). */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aReleaseReasonIsStoredBoundedAndWithoutControlCharacters(Engine engine) throws Exception {
        Setup s = setup(engine);
        s.claimBy("node-a", s.job().requestId());

        s.leases().release(TestGrants.signed(s.f().repos(), new StateRpc.Hold(s.job().id(), 1, "node-a")),
                "draining: " + "x".repeat(5_000) + "\u0000 what to do at the end");

        assertEquals(JobStatus.QUEUED, s.f().job(s.job().id()).status());
        String outcome = s.attempts().get(0).outcome();
        assertTrue(outcome.startsWith("released: draining: xxx"), outcome);
        assertTrue(outcome.endsWith("  what to do at the end"), outcome);
        assertTrue(outcome.length() <= FailureReasons.MAX_CHARS, "stored " + outcome.length() + " characters");
        assertEquals(1, s.outbox().size(), "the job is cast again");
    }

    private static void assertLeaseLost(LeaseCall call, String expected) {
        RpcFailureException lost = assertThrows(RpcFailureException.class, call::run);
        assertEquals(StateRpc.LEASE_LOST, lost.failure().className());
        assertTrue(lost.failure().message().contains(expected),
                "expected '" + expected + "' in: " + lost.failure().message());
    }

    @FunctionalInterface
    private interface LeaseCall {
        void run() throws RpcFailureException;
    }
}
