package dev.ferry.api.jobs.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RpcRequest;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What each kind's success, failure, cancel and re-cast leave in the database, one kind at a time. */
class KindOutcomesTest extends OnBothDatabases {

    /** A restore of a backup of {@code source} into {@code target}, started as the API starts it. */
    private record Restore(Fixtures f, RestoreKind kind, Backup backup, Share target, Job job) {
    }

    private Restore restoreRunning(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        RestoreKind kind = new RestoreKind(f.repos());
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 10, BackupStatus.AVAILABLE);
        f.repos().database().inTransaction(c -> {
            kind.start(c, backup, target);
            return null;
        });
        Job job = f.job(JobKind.RESTORE, backup, target, JobStatus.RUNNING, 1, "node-a");
        return new Restore(f, kind, backup, target, job);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRestoreStartsWithBothBusyAndItsSuccessLeavesBothAvailable(Engine engine) {
        Restore r = restoreRunning(engine);
        assertEquals(BackupStatus.RESTORING, r.f().backup(r.backup().id()).status());
        assertEquals(ShareStatus.BACKUP_RESTORING, r.f().share(r.target().id()).status());
        assertEquals(r.backup().id(), r.f().share(r.target().id()).sourceBackupId());

        r.f().repos().database().inTransaction(c -> {
            assertTrue(r.kind().progress(c, r.job(), 42));
            r.kind().succeed(c, r.job(), "node-a");
            return null;
        });

        assertEquals(BackupStatus.AVAILABLE, r.f().backup(r.backup().id()).status());
        assertEquals(ShareStatus.AVAILABLE, r.f().share(r.target().id()).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRestoreThatFailedBeforeWritingLeavesTheTargetAsItWasAndTellsItsOwner(Engine engine) {
        Restore r = restoreRunning(engine);

        Notice notice = r.f().repos().database().inTransaction(c -> r.kind().fail(c, r.job(),
                FailureDetail.UNKNOWN_ERROR, "no driver for CIFS", false));

        assertEquals(BackupStatus.AVAILABLE, r.f().backup(r.backup().id()).status());
        Share target = r.f().share(r.target().id());
        assertEquals(ShareStatus.AVAILABLE, target.status());
        assertNull(target.sourceBackupId(), "nothing of the backup was written: the target keeps its former source");
        assertEquals(new Notice(UserMessageAction.RESTORE_BACKUP, Notice.SHARE, target.id(), "p1"), notice);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRestoreThatFailedOrWasCancelledAfterWritingLeavesTheTargetInError(Engine engine) {
        Restore failed = restoreRunning(engine);
        failed.f().repos().database().inTransaction(c -> failed.kind().fail(c, failed.job(),
                FailureDetail.UNKNOWN_ERROR, "disk full", true));
        assertEquals(ShareStatus.BACKUP_RESTORING_ERROR, failed.f().share(failed.target().id()).status());

        Restore cancelled = restoreRunning(engine);
        Notice notice = cancelled.f().repos().database().inTransaction(c -> cancelled.kind().cancel(c,
                cancelled.job(), true, "cancelled by user u of project p1"));
        assertEquals(ShareStatus.BACKUP_RESTORING_ERROR, cancelled.f().share(cancelled.target().id()).status());
        assertEquals(BackupStatus.AVAILABLE, cancelled.f().backup(cancelled.backup().id()).status());
        assertEquals(cancelled.target().id(), notice.resourceId(), "Manila puts restore messages on the target");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRestoreIsCastAgainInItsBackupOwnersNameWhileTheBackupExists(Engine engine) {
        Restore r = restoreRunning(engine);

        Optional<RpcRequest> cast = r.f().repos().database().read(c -> r.kind().recast(c, r.job()));
        assertEquals(DataRpc.RESTORE_BACKUP, cast.orElseThrow().method());
        assertEquals(r.job().requestId(), cast.get().requestId());

        Job ofAGoneBackup = new Job("j", JobKind.RESTORE, "gone", r.target().id(), JobStatus.RUNNING, 1, "n", null,
                null, null, null, null, null);
        assertEquals(Optional.empty(), r.f().repos().database().read(c -> r.kind().recast(c, ofAGoneBackup)));
        assertEquals("backup gone", r.kind().needs(ofAGoneBackup));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFailedOrCancelledBackupCreationLeavesTheBackupInErrorTheShareAvailableAndTellsOnTheBackup(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        CreateBackupKind kind = new CreateBackupKind(f.repos());
        Share share = f.share("p1", 10, ShareStatus.BACKUP_CREATING);
        Backup backup = f.backup(share, 10, BackupStatus.CREATING);
        Job job = f.job(JobKind.CREATE_BACKUP, backup, share, JobStatus.RUNNING, 1, "node-a");

        Notice notice = f.repos().database().inTransaction(c -> {
            assertTrue(kind.progress(c, job, 30), "recorded, though below what the backup shows");
            return kind.fail(c, job, FailureDetail.UNKNOWN_ERROR, "repository full", false);
        });

        assertEquals(BackupStatus.ERROR, f.backup(backup.id()).status());
        assertEquals("100", f.backup(backup.id()).progress(), "progress never goes back");
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
        assertEquals(new Notice(UserMessageAction.CREATE_BACKUP, Notice.SHARE_BACKUP, backup.id(), "p1"), notice);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aShareCreatedFromABackupMovesBothProgressesAndEndsAvailableOrInError(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        CreateShareKind kind = new CreateShareKind(f.repos());
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 10, BackupStatus.RESTORING);
        Share created = f.subdirShare("p1", 10, ShareStatus.CREATING);
        Job job = f.shareJob(JobKind.CREATE_SHARE, backup, created, null, JobStatus.RUNNING, 1, "node-a");

        f.repos().database().inTransaction(c -> {
            assertTrue(kind.progress(c, job, 55));
            return null;
        });
        assertEquals("55", f.backup(backup.id()).restoreProgress());
        assertEquals(55, f.share(created.id()).progress());

        Notice notice = f.repos().database().inTransaction(c -> kind.fail(c, job, FailureDetail.UNKNOWN_ERROR,
                "copy failed", true));
        assertEquals(ShareStatus.ERROR, f.share(created.id()).status());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        assertEquals(new Notice(UserMessageAction.CREATE, Notice.SHARE, created.id(), "p1"), notice);
        assertEquals("backup " + backup.id() + " or share " + created.id(), kind.needs(job));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aShrinkRecordsTheNewSizeOnSuccessAndAFenceOfItChangesNothing(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        ShrinkShareKind kind = new ShrinkShareKind(f.repos());
        Share share = f.subdirShare("p1", 10, ShareStatus.SHRINKING);
        Job job = f.shareJob(JobKind.SHRINK_SHARE, null, share, 4, JobStatus.RUNNING, 1, "node-a");

        assertNull(f.repos().database().inTransaction(c -> kind.cancel(c, job, true, "fenced")));
        assertEquals(ShareStatus.SHRINKING, f.share(share.id()).status());
        assertEquals(4L, f.repos().database().read(c -> kind.grant(c, job, 30)).target().sizeGib());

        f.repos().database().inTransaction(c -> {
            kind.succeed(c, job, "node-a");
            return null;
        });
        assertEquals(4, f.share(share.id()).size());
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
    }
}
