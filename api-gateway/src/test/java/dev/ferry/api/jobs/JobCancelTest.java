package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ApiLimits;
import dev.ferry.api.http.MessageView;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobAttempt;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.service.ApiError;
import dev.ferry.api.service.BackupChanges;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.service.JobStop;
import dev.ferry.api.service.Policies;
import dev.ferry.api.service.ShareChanges;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cancel action and fencing: what a cancelled or fenced job leaves, that its node's lease calls are then
 * answered LeaseLost flagged as ended by the API, that its transitions change nothing, and that a cancelled
 * queued job's cast is refused (dropped, not parked) when a node claims it.
 */
class JobCancelTest extends OnBothDatabases {
    private static final RequestContext ALICE = RequestContext.of("alice", "p1", false, List.of("member", "reader"));
    private static final RequestContext ADMIN = RequestContext.of("admin", "admin", true,
            List.of("admin", "member", "reader"));

    private record Setup(Fixtures f, BackupChanges backups, ShareChanges shares, ClaimService claims,
                         LeaseService leases, TransitionApplier transitions) {
        Job job(String id) {
            return f.job(id);
        }

        List<UserMessage> messagesOn(String resourceId) {
            return f.repos().database().read(c -> f.repos().messages().list(c, new UserMessageRepository.Filter(
                    null, resourceId, null, null, null, null, null)));
        }

        StateRpc.Grant claim(JobKind kind, Backup backup, String shareId, String requestId)
                throws RpcFailureException {
            return claims.claim(new StateRpc.Claim(kind, backup == null ? null : backup.toRow(), shareId, "node-a"),
                    requestId);
        }

        StateRpc.Hold hold(Job job) {
            return TestGrants.signed(f.repos(), new StateRpc.Hold(job.id(), job.epoch(), "node-a"));
        }
    }

    private Setup setup(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        CastOutbox outbox = new CastOutbox(f.repos().outbox(), "openstack", () -> { });
        JobStop stop = new JobStop(f.repos(), Duration.ofDays(30));
        Policies policies = Policies.defaults();
        return new Setup(f, new BackupChanges(f.repos(), policies, stop),
                new ShareChanges(f.repos(), outbox, ApiLimits.DEFAULTS, policies, stop),
                new ClaimService(f.repos(), 30), new LeaseService(f.repos(), new JobRequeue(f.repos(), outbox), outbox,
                30), new TransitionApplier(f.repos()));
    }

    /** A 10 GiB backup of p1, restoring into a share of p1 by a queued job (as the API leaves it). */
    private record Restore(Backup backup, Share target, Job job) {
    }

    private static Restore queuedRestore(Fixtures f) {
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 10, BackupStatus.RESTORING);
        Share available = f.share("p1", 10, ShareStatus.AVAILABLE);
        // as the API starts a restore: backup_restoring, with the backup as the share's source
        boolean started = f.repos().database().inTransaction(c -> f.repos().shares().startRestore(c, available.id(),
                backup.id()));
        assertTrue(started);
        Share target = f.share(available.id());
        assertEquals(backup.id(), target.sourceBackupId());
        return new Restore(backup, target, f.job(JobKind.RESTORE, backup, target, JobStatus.QUEUED, 0, null));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCancelledQueuedRestoreLeavesBothAvailableAndItsCastIsRefusedWhenANodeClaimsIt(Engine engine) {
        Setup s = setup(engine);
        Restore r = queuedRestore(s.f());

        s.backups().cancel(ALICE, r.backup().id());

        Job job = s.job(r.job().id());
        assertEquals(JobStatus.CANCELLED, job.status());
        assertEquals(FailureDetail.JOB_CANCELLED.id(), job.detailId());
        assertEquals("cancelled by user alice of project p1", job.reason());
        assertEquals(BackupStatus.AVAILABLE, s.f().backup(r.backup().id()).status());
        assertEquals(ShareStatus.AVAILABLE, s.f().share(r.target().id()).status(), "nothing was written");
        assertNull(s.f().share(r.target().id()).sourceBackupId(), "the share's source is what it was before");
        List<UserMessage> messages = s.messagesOn(r.target().id());
        assertEquals(1, messages.size(), "the message is on the target share");
        assertEquals("restore share backup: Cancelled by user alice of project p1, before it finished.",
                MessageView.detail(messages.get(0), "http://x").path("user_message").asText());
        assertEquals("910", messages.get(0).detailId());

        RpcFailureException refused = assertThrows(RpcFailureException.class,
                () -> s.claim(JobKind.RESTORE, r.backup(), r.target().id(), r.job().requestId()));
        assertEquals(StateRpc.CLAIM_REFUSED, refused.failure().className());
        assertFalse(StateRpc.asksToPark(refused.failure()), "dropped, not parked as an error");
        assertTrue(refused.failure().message().contains("was cancelled by user alice"), refused.failure().message());
        assertEquals(JobStatus.CANCELLED, s.job(r.job().id()).status(), "it never starts");
        assertEquals(ShareStatus.AVAILABLE, s.f().share(r.target().id()).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCancelledRunningRestoreIsFencedAndLeavesItsTargetBackupRestoringError(Engine engine) throws Exception {
        Setup s = setup(engine);
        Restore r = queuedRestore(s.f());
        s.claim(JobKind.RESTORE, r.backup(), r.target().id(), r.job().requestId());
        Job running = s.job(r.job().id());
        StateRpc.Hold hold = s.hold(running);
        s.leases().beginWriting(hold);
        s.transitions().apply(TestGrants.signed(s.f().repos(), Transition.progress(running.id(), 1, "node-a", 40)));

        s.backups().cancel(ALICE, r.backup().id());

        assertEquals(JobStatus.CANCELLED, s.job(running.id()).status());
        assertEquals(BackupStatus.AVAILABLE, s.f().backup(r.backup().id()).status());
        assertEquals(ShareStatus.BACKUP_RESTORING_ERROR, s.f().share(r.target().id()).status(),
                "its node announced writing");
        assertEquals(r.backup().id(), s.f().share(r.target().id()).sourceBackupId(), "it may hold the backup's data");
        JobAttempt attempt = s.f().repos().database().read(c -> s.f().repos().attempts().forJob(c, running.id()))
                .get(0);
        assertEquals("cancelled by user alice of project p1", attempt.outcome());

        RpcFailureException lost = assertThrows(RpcFailureException.class, () -> s.leases().renew(hold));
        assertEquals(StateRpc.LEASE_LOST, lost.failure().className());
        assertTrue(StateRpc.endedByApi(lost.failure()), "the node discards what the job made");
        assertTrue(lost.failure().message().contains("it was cancelled by user alice of project p1"),
                lost.failure().message());

        assertFenced(s, running, r);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRunningRestoreCancelledBeforeItsNodeBeganWritingLeavesItsTargetAvailable(Engine engine) throws Exception {
        Setup s = setup(engine);
        Restore r = queuedRestore(s.f());
        s.claim(JobKind.RESTORE, r.backup(), r.target().id(), r.job().requestId());
        Job running = s.job(r.job().id());
        StateRpc.Hold hold = s.hold(running);

        s.backups().cancel(ALICE, r.backup().id());

        assertEquals(JobStatus.CANCELLED, s.job(running.id()).status());
        assertEquals(BackupStatus.AVAILABLE, s.f().backup(r.backup().id()).status());
        assertEquals(ShareStatus.AVAILABLE, s.f().share(r.target().id()).status(),
                "its node (still mounting, say) had not begun writing");
        assertNull(s.f().share(r.target().id()).sourceBackupId(), "the share's source is what it was before");
        RpcFailureException refused = assertThrows(RpcFailureException.class, () -> s.leases().beginWriting(hold));
        assertEquals(StateRpc.LEASE_LOST, refused.failure().className());
        assertTrue(StateRpc.endedByApi(refused.failure()), "the node writes nothing and stops");
        assertEquals(ShareStatus.AVAILABLE, s.f().share(r.target().id()).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void beginWritingWithoutTheGrantsSecretIsRefusedAndRecordsNothing(Engine engine) throws Exception {
        Setup s = setup(engine);
        Restore r = queuedRestore(s.f());
        s.claim(JobKind.RESTORE, r.backup(), r.target().id(), r.job().requestId());
        Job running = s.job(r.job().id());

        assertThrows(RpcFailureException.class,
                () -> s.leases().beginWriting(new StateRpc.Hold(running.id(), running.epoch(), "node-a", "forged")));
        s.backups().cancel(ALICE, r.backup().id());

        assertEquals(ShareStatus.AVAILABLE, s.f().share(r.target().id()).status(), "nothing was recorded");
    }

    /** The job's later transitions (progress, success, failure) change nothing. */
    private static void assertFenced(Setup s, Job running, Restore r) {
        Backup backup = s.f().backup(r.backup().id());
        Share target = s.f().share(r.target().id());
        for (Transition t : List.of(Transition.progress(running.id(), running.epoch(), "node-a", 90),
                Transition.succeeded(running.id(), running.epoch(), "node-a"),
                Transition.failed(running.id(), running.epoch(), "node-a", FailureDetail.COPY_FAILED, "boom", true))) {
            assertEquals(TransitionApplier.Result.DROPPED, s.transitions().apply(t.withSecret(TestGrants.SECRET)));
        }
        assertEquals(JobStatus.CANCELLED, s.job(running.id()).status());
        assertEquals(backup, s.f().backup(r.backup().id()));
        assertEquals(target, s.f().share(r.target().id()));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCancelledShareCreationFromABackupEndsTheShareInError(Engine engine) throws Exception {
        for (boolean running : new boolean[] {false, true}) {
            Setup s = setup(engine);
            Backup backup = s.f().backup(s.f().share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.RESTORING);
            Share created = s.f().subdirShare("p1", 10, ShareStatus.CREATING);
            Job job = s.f().shareJob(JobKind.CREATE_SHARE, backup, created, null, JobStatus.QUEUED, 0, null);
            if (running) {
                s.claim(JobKind.CREATE_SHARE, backup, created.id(), job.requestId());
            }

            s.backups().cancel(ALICE, backup.id());

            assertEquals(JobStatus.CANCELLED, s.job(job.id()).status());
            assertEquals(ShareStatus.ERROR, s.f().share(created.id()).status());
            assertEquals(BackupStatus.AVAILABLE, s.f().backup(backup.id()).status());
            List<UserMessage> messages = s.messagesOn(created.id());
            assertEquals(1, messages.size());
            assertEquals("002", messages.get(0).actionId(), "Manila's create action");
            assertTrue(messages.get(0).detailText().contains("user alice of project p1"));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCancelledBackupCreationEndsTheBackupInErrorWithItsMessage(Engine engine) throws Exception {
        for (boolean running : new boolean[] {false, true}) {
            Setup s = setup(engine);
            Share share = s.f().share("p1", 10, ShareStatus.BACKUP_CREATING);
            Backup backup = s.f().backup(share, 10, BackupStatus.CREATING);
            Job job = s.f().job(JobKind.CREATE_BACKUP, backup, share, JobStatus.QUEUED, 0, null);
            if (running) {
                s.claim(JobKind.CREATE_BACKUP, backup, share.id(), job.requestId());
            }
            Job before = s.job(job.id());

            s.backups().cancel(ADMIN, backup.id());

            assertEquals(JobStatus.CANCELLED, s.job(job.id()).status());
            assertEquals(BackupStatus.ERROR, s.f().backup(backup.id()).status());
            assertEquals(ShareStatus.AVAILABLE, s.f().share(share.id()).status());
            List<UserMessage> messages = s.messagesOn(backup.id());
            assertEquals(1, messages.size(), "the message is on the backup");
            assertEquals("900", messages.get(0).actionId());
            assertEquals("SHARE_BACKUP", messages.get(0).resourceType());
            assertEquals("p1", messages.get(0).projectId(), "the backup's project sees it");
            assertEquals("Cancelled by user admin of project admin, before it finished.",
                    messages.get(0).detailText());
            if (running) {
                RpcFailureException lost = assertThrows(RpcFailureException.class,
                        () -> s.leases().renew(s.hold(before)));
                assertTrue(StateRpc.endedByApi(lost.failure()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void nothingToCancelIs400AndPolicyAndVisibilityComeFirst(Engine engine) {
        Setup s = setup(engine);
        Backup idle = s.f().backup(s.f().share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);
        assertStatus(400, () -> s.backups().cancel(ALICE, idle.id()));
        Restore r = queuedRestore(s.f());

        assertStatus(404, () -> s.backups().cancel(RequestContext.of("bob", "p2", false,
                List.of("member", "reader")), r.backup().id()));
        assertStatus(403, () -> s.backups().cancel(RequestContext.of("carol", "p1", false, List.of("reader")),
                r.backup().id()));
        assertEquals(JobStatus.QUEUED, s.job(r.job().id()).status(), "refused cancels change nothing");
        assertEquals(BackupStatus.RESTORING, s.f().backup(r.backup().id()).status());

        s.backups().cancel(ALICE, r.backup().id());
        assertEquals(JobStatus.CANCELLED, s.job(r.job().id()).status(), "the owner may cancel");
        assertStatus(400, () -> s.backups().cancel(ALICE, r.backup().id()));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anAdminsResetStatusFencesTheRunningRestoreAndTheAdminsStatusStays(Engine engine) throws Exception {
        for (boolean resetTarget : new boolean[] {true, false}) {
            Setup s = setup(engine);
            Restore r = queuedRestore(s.f());
            s.claim(JobKind.RESTORE, r.backup(), r.target().id(), r.job().requestId());
            Job running = s.job(r.job().id());
            StateRpc.Hold hold = s.hold(running);
            s.leases().beginWriting(hold);

            if (resetTarget) {
                s.shares().resetStatus(ADMIN, r.target().id(), "available");
            } else {
                s.backups().resetStatus(ADMIN, r.backup().id(), "error");
            }

            Job fenced = s.job(running.id());
            assertEquals(JobStatus.CANCELLED, fenced.status());
            assertTrue(fenced.reason().contains("who reset the status of " + (resetTarget ? "share "
                    + r.target().id() + " to available" : "backup " + r.backup().id() + " to error")), fenced.reason());
            if (resetTarget) {
                assertEquals(ShareStatus.AVAILABLE, s.f().share(r.target().id()).status(), "the admin's status");
                assertEquals(BackupStatus.AVAILABLE, s.f().backup(r.backup().id()).status());
            } else {
                assertEquals(BackupStatus.ERROR, s.f().backup(r.backup().id()).status(), "the admin's status");
                assertEquals(ShareStatus.BACKUP_RESTORING_ERROR, s.f().share(r.target().id()).status());
            }
            RpcFailureException lost = assertThrows(RpcFailureException.class, () -> s.leases().renew(hold));
            assertTrue(StateRpc.endedByApi(lost.failure()));
            assertFenced(s, running, r);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aShareDeleteAfterTheResetFindsNoJobLeft(Engine engine) throws Exception {
        Setup s = setup(engine);
        Restore r = queuedRestore(s.f());
        s.claim(JobKind.RESTORE, r.backup(), r.target().id(), r.job().requestId());
        s.shares().resetStatus(ADMIN, r.target().id(), "available");
        s.backups().resetStatus(ADMIN, r.backup().id(), "available");

        s.shares().delete(ALICE, r.target().id());

        assertTrue(s.f().repos().database().read(c -> s.f().repos().shares().find(c, r.target().id())).isEmpty(),
                "a managed share is forgotten at once");
        assertEquals(JobStatus.CANCELLED, s.job(r.job().id()).status());
        assertEquals(BackupStatus.AVAILABLE, s.f().backup(r.backup().id()).status());
    }

    private static void assertStatus(int status, Executable call) {
        ApiError error = assertThrows(ApiError.class, call);
        assertEquals(status, error.status(), error.getMessage());
    }
}
