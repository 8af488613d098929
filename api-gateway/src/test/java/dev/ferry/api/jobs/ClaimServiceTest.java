package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.OutboxMessage;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClaimServiceTest extends OnBothDatabases {

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aQueuedRestoreIsGrantedAtEpochOneWithBothShares(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share target = f.share("p1", 20, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(source, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, target, JobStatus.QUEUED, 0, null);

        StateRpc.Grant grant = new ClaimService(f.repos(), 30).claim(
                new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), target.id(), "node-a"), job.requestId());

        assertEquals(job.id(), grant.jobId());
        assertEquals(1, grant.epoch());
        assertEquals(JobKind.RESTORE, grant.kind());
        assertEquals(backup.id(), grant.backup().id());
        assertEquals("restoring", grant.backup().status());
        assertEquals(source.info(), grant.source());
        assertEquals(target.info(), grant.target());
        Job running = f.job(job.id());
        assertEquals(JobStatus.RUNNING, running.status());
        assertEquals("node-a", running.node());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSecondClaimIsRefusedNamingTheNodeThatHasIt(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
        ClaimService claims = new ClaimService(f.repos(), 30);
        StateRpc.Claim claim = new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), "node-a");
        claims.claim(claim, job.requestId());

        RpcFailureException refused = assertThrows(RpcFailureException.class, () -> claims.claim(
                new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), "node-b"), job.requestId()));

        assertEquals(StateRpc.CLAIM_REFUSED, refused.failure().className());
        assertTrue(refused.failure().message().contains("already claimed by node node-a"),
                refused.failure().message());
        assertEquals(1, f.job(job.id()).epoch());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theHolderClaimingAgainGetsTheSameGrant(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
        ClaimService claims = new ClaimService(f.repos(), 30);
        StateRpc.Claim claim = new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), "node-a")
                .withToken("token-of-this-claim");
        StateRpc.Grant first = claims.claim(claim, job.requestId());

        StateRpc.Grant again = claims.claim(claim, job.requestId());

        assertEquals(first.jobId(), again.jobId());
        assertEquals(first.epoch(), again.epoch(), "a lost grant is given again, not a new epoch");
        assertEquals(1, f.job(job.id()).epoch());
        assertRefused(claims, claim.withToken("another-token"), "already claimed by node node-a");
        assertRefused(claims, claim.withToken(null), "already claimed by node node-a");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aQueuedBackupCreationIsGrantedWithTheSourceShareOnly(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.BACKUP_CREATING);
        Backup backup = f.backup(share, 10, BackupStatus.CREATING);
        Job job = f.job(JobKind.CREATE_BACKUP, backup, share, JobStatus.QUEUED, 0, null);

        StateRpc.Grant grant = new ClaimService(f.repos(), 30).claim(
                new StateRpc.Claim(JobKind.CREATE_BACKUP, backup.toRow(), share.id(), "node-a"), job.requestId());

        assertEquals(job.id(), grant.jobId());
        assertEquals(1, grant.epoch());
        assertEquals(share.info(), grant.source());
        assertNull(grant.target());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aForeignRestoreCastGetsTheApiChecksAndARunningJob(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 10, BackupStatus.AVAILABLE);

        StateRpc.Grant grant = new ClaimService(f.repos(), 30).claim(
                new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), target.id(), "node-a"),
                member("p1", "req-from-manila"));

        assertEquals(1, grant.epoch());
        assertEquals(target.info(), grant.target());
        Job job = f.job(grant.jobId());
        assertEquals(JobStatus.RUNNING, job.status());
        assertEquals("node-a", job.node());
        assertEquals("req-from-manila", job.requestId());
        assertEquals(BackupStatus.RESTORING, f.backup(backup.id()).status());
        assertEquals(ShareStatus.BACKUP_RESTORING, f.share(target.id()).status());
        assertEquals(backup.id(), f.share(target.id()).sourceBackupId());
        assertEquals(ShareStatus.AVAILABLE, f.share(source.id()).status(), "the source share is never touched");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aForeignRestoreCastThatFailsTheChecksIsRefusedWithManilasMessage(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share small = f.share("p1", 5, ShareStatus.AVAILABLE);
        Share busy = f.share("p1", 10, ShareStatus.ERROR);
        Backup backup = f.backup(source, 10, BackupStatus.AVAILABLE);
        ClaimService claims = new ClaimService(f.repos(), 30);

        assertRefused(claims, new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), small.id(), "n"),
                "Invalid share: Share size 5 is too small to restore backup of size 10.");
        assertRefused(claims, new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), busy.id(), "n"),
                "Invalid share: Share to be restored to must be available.");
        assertRefused(claims, new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), "no-such-share", "n"),
                "Share no-such-share could not be found.");
        Backup unknown = new Backup("no-such-backup", "p1", "u", source.id(), 1, BackupStatus.AVAILABLE, null, null,
                "0", "0", null, null, null, null, null, null);
        assertRefused(claims, new StateRpc.Claim(JobKind.RESTORE, unknown.toRow(), source.id(), "n"),
                "backup no-such-backup does not exist");
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status(), "a refused claim changes nothing");
        assertEquals(ShareStatus.AVAILABLE, f.share(small.id()).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aReplayedCastOfAFinishedJobIsRefused(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 10, BackupStatus.AVAILABLE);
        Job done = f.job(JobKind.RESTORE, backup, share, JobStatus.SUCCEEDED, 1, "node-a");

        RpcFailureException refused = assertThrows(RpcFailureException.class, () -> new ClaimService(f.repos(), 30)
                .claim(new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), "node-b"), done.requestId()));

        assertTrue(refused.failure().message().contains("already succeeded"), refused.failure().message());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCreateCastWithoutAJobIsAdoptedOnlyForABackupLeftCreating(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.BACKUP_CREATING);
        Backup backup = f.backup(share, 10, BackupStatus.CREATING);
        ClaimService claims = new ClaimService(f.repos(), 30);

        StateRpc.Grant grant = claims.claim(new StateRpc.Claim(JobKind.CREATE_BACKUP, backup.toRow(), share.id(),
                "node-a"), member("p1", "req-x"));
        assertEquals(1, grant.epoch());
        assertEquals(JobStatus.RUNNING, f.job(grant.jobId()).status());

        assertRefused(claims, new StateRpc.Claim(JobKind.CREATE_BACKUP, backup.toRow(), share.id(), "node-b"),
                "already claimed by node node-a");
        Share other = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup available = f.backup(other, 10, BackupStatus.AVAILABLE);
        assertRefused(claims, new StateRpc.Claim(JobKind.CREATE_BACKUP, available.toRow(), other.id(), "node-b"),
                "is available, not creating");
        assertEquals(1, f.repos().database().read(c -> f.repos().jobs().forBackup(c, JobKind.CREATE_BACKUP,
                backup.id())).size());
        assertEquals(List.of(), f.repos().database().read(c -> f.repos().jobs().forBackup(c, JobKind.CREATE_BACKUP,
                available.id())));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCastSentAgainForARequeuedJobIsGrantedNotRefusedAsAReplay(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
        Job requeued = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 2, null);
        ClaimService claims = new ClaimService(f.repos(), 30);

        StateRpc.Grant grant = claims.claim(new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), "node-b"),
                requeued.requestId());

        assertEquals(requeued.id(), grant.jobId());
        assertEquals(3, grant.epoch());
        assertEquals(30, grant.leaseSeconds());
        assertRefused(claims, new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), "node-c"),
                "already claimed by node node-b at epoch 3");
        assertEquals(List.of(3L), f.repos().database().read(c -> f.repos().attempts().forJob(c, requeued.id()))
                .stream().map(a -> a.epoch()).toList());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aQueuedDeleteIsGrantedAtTheNextEpochWithTheBackupsShareAsSourceAndNoTarget(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 10, BackupStatus.DELETING);
        Job job = f.job(JobKind.DELETE_BACKUP, backup, share, JobStatus.QUEUED, 0, null);
        ClaimService claims = new ClaimService(f.repos(), 30);

        StateRpc.Claim claim = new StateRpc.Claim(JobKind.DELETE_BACKUP, backup.toRow(), null, "node-a")
                .withToken("token-a");
        StateRpc.Grant grant = claims.claim(claim, job.requestId());

        assertEquals(job.id(), grant.jobId());
        assertEquals(1, grant.epoch());
        assertEquals(JobKind.DELETE_BACKUP, grant.kind());
        assertEquals(backup.id(), grant.backup().id());
        assertEquals("deleting", grant.backup().status());
        assertEquals(share.info(), grant.source());
        assertNull(grant.target());
        assertEquals(JobStatus.RUNNING, f.job(job.id()).status());
        StateRpc.Grant again = claims.claim(claim, job.requestId());
        assertEquals(grant.withSecret(null), again.withSecret(null), "the holder claiming again gets the same grant");
        assertRefused(claims, new StateRpc.Claim(JobKind.DELETE_BACKUP, backup.toRow(), share.id(), "node-b"),
                "already claimed by node node-a at epoch 1");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aDeleteOfABackupWhoseShareIsGoneHasNoSource(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 10, BackupStatus.DELETING);
        Job job = f.job(JobKind.DELETE_BACKUP, backup, share, JobStatus.QUEUED, 0, null);
        f.repos().database().inTransaction(c -> {
            try (var ps = c.prepareStatement("DELETE FROM shares WHERE id = ?")) {
                ps.setString(1, share.id());
                return ps.executeUpdate();
            }
        });

        StateRpc.Grant grant = new ClaimService(f.repos(), 30).claim(
                new StateRpc.Claim(JobKind.DELETE_BACKUP, backup.toRow(), null, "node-a"), job.requestId());

        assertEquals(1, grant.epoch());
        assertNull(grant.source());
        assertNull(grant.target());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aDeleteCastWithoutAJobIsAdoptedOnlyForABackupLeftDeleting(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup deleting = f.backup(share, 10, BackupStatus.DELETING);
        Backup available = f.backup(share, 10, BackupStatus.AVAILABLE);
        Backup error = f.backup(share, 10, BackupStatus.ERROR);
        ClaimService claims = new ClaimService(f.repos(), 30);

        StateRpc.Grant grant = claims.claim(new StateRpc.Claim(JobKind.DELETE_BACKUP, deleting.toRow(), null,
                "node-a"), member("p1", "req-manila"));
        assertEquals(1, grant.epoch());
        Job adopted = f.job(grant.jobId());
        assertEquals(JobKind.DELETE_BACKUP, adopted.kind());
        assertEquals(JobStatus.RUNNING, adopted.status());
        assertEquals("req-manila", adopted.requestId());
        assertEquals(share.id(), adopted.shareId());

        assertRefused(claims, new StateRpc.Claim(JobKind.DELETE_BACKUP, available.toRow(), null, "node-b"),
                "is available, not deleting");
        assertRefused(claims, new StateRpc.Claim(JobKind.DELETE_BACKUP, error.toRow(), null, "node-b"),
                "is error, not deleting");
        Backup unknown = new Backup("00000000-0000-4000-8000-000000000042", "p1", "u1", share.id(), 1,
                BackupStatus.DELETING, null, null, "0", "0", null, null, null, null, available.createdAt(),
                available.updatedAt());
        assertRefused(claims, new StateRpc.Claim(JobKind.DELETE_BACKUP, unknown.toRow(), null, "node-b"),
                "does not exist");
        assertEquals(BackupStatus.AVAILABLE, f.backup(available.id()).status());
        assertEquals(List.of(), f.repos().database().read(c -> f.repos().jobs().forBackup(c, JobKind.DELETE_BACKUP,
                available.id())));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aReleasedDeleteIsCastAgainAsADelete(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 10, BackupStatus.DELETING);
        Job job = f.job(JobKind.DELETE_BACKUP, backup, share, JobStatus.QUEUED, 0, null);
        new ClaimService(f.repos(), 30).claim(new StateRpc.Claim(JobKind.DELETE_BACKUP, backup.toRow(), null,
                "node-a"), job.requestId());
        CastOutbox outbox = new CastOutbox(f.repos().outbox(), "openstack", () -> { });
        JobRequeue requeue = new JobRequeue(f.repos(), outbox);

        JobRequeue.Result result = f.repos().database().inTransaction(c -> requeue.release(c,
                f.repos().jobs().findForUpdate(c, job.id()).orElseThrow(), 1, "node-a", "draining"));

        assertEquals(JobRequeue.Result.REQUEUED, result);
        Job requeued = f.job(job.id());
        assertEquals(JobStatus.QUEUED, requeued.status());
        assertEquals(2, requeued.epoch());
        List<OutboxMessage> casts = f.repos().database().read(c -> f.repos().outbox().unsent(c, 100));
        assertEquals(1, casts.size());
        assertEquals(DataRpc.TOPIC, casts.get(0).routingKey());
        RpcRequest cast = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, casts.get(0).body());
        DataRpc.DeleteBackup delete = (DataRpc.DeleteBackup) DataRpc.parse(cast);
        assertEquals(backup.id(), delete.backup().id());
        assertEquals(job.requestId(), cast.requestId());
    }

    /** The context of a cast from a member of {@code project}, as a Manila client sends it. */
    static RequestContext member(String project, String requestId) {
        return new RequestContext("user-of-" + project, project, false, List.of("member", "reader"), requestId, null,
                null, null);
    }

    /** Refused when claimed in the context of a member of p1. */
    private static void assertRefused(ClaimService claims, StateRpc.Claim claim, String reason) {
        RpcFailureException refused = assertThrows(RpcFailureException.class,
                () -> claims.claim(claim, member("p1", null)));
        assertEquals(StateRpc.CLAIM_REFUSED, refused.failure().className());
        assertTrue(refused.failure().message().contains(reason),
                "expected '" + reason + "' in: " + refused.failure().message());
    }
}
