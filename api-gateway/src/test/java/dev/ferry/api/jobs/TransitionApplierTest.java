package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.jobs.TransitionApplier.Result;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.RefusedValues;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransitionApplierTest extends OnBothDatabases {

    /** A restore of a backup of {@code source} into {@code target}, claimed by node-a at epoch 1. */
    private record Restore(Fixtures f, Share source, Share target, Backup backup, Job job) {
    }

    private Restore runningRestore(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share target = f.share("p2", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(source, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, target, JobStatus.RUNNING, 1, "node-a");
        return new Restore(f, source, target, backup, job);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void progressIsRecordedAndNeverGoesBack(Engine engine) {
        Restore r = runningRestore(engine);
        TransitionApplier applier = new TransitionApplier(r.f().repos());
        assertEquals(Result.APPLIED, applier.apply(TestGrants.signed(r.f().repos(), Transition.progress(r.job().id(), 1, "node-a", 40))));
        assertEquals("40", r.f().backup(r.backup().id()).restoreProgress());
        applier.apply(TestGrants.signed(r.f().repos(), Transition.progress(r.job().id(), 1, "node-a", 30)));
        assertEquals("40", r.f().backup(r.backup().id()).restoreProgress());
        applier.apply(TestGrants.signed(r.f().repos(), Transition.progress(r.job().id(), 1, "node-a", 75)));
        assertEquals("75", r.f().backup(r.backup().id()).restoreProgress());
        assertEquals("100", r.f().backup(r.backup().id()).progress(), "backup progress is not restore progress");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aStaleEpochIsDropped(Engine engine) {
        Restore r = runningRestore(engine);
        TransitionApplier applier = new TransitionApplier(r.f().repos());
        assertEquals(Result.DROPPED, applier.apply(TestGrants.signed(r.f().repos(), Transition.succeeded(r.job().id(), 0, "node-old"))));
        assertEquals(Result.DROPPED, applier.apply(TestGrants.signed(r.f().repos(), Transition.progress(r.job().id(), 2, "node-b", 50))));
        assertEquals(Result.DROPPED, applier.apply(TestGrants.signed(r.f().repos(), Transition.progress("no-such-job", 1, "node-a", 50))));
        assertEquals(JobStatus.RUNNING, r.f().job(r.job().id()).status());
        assertEquals(BackupStatus.RESTORING, r.f().backup(r.backup().id()).status());
        assertEquals("0", r.f().backup(r.backup().id()).restoreProgress());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSucceededRestoreMakesBothAvailableAndTwiceIsHarmless(Engine engine) {
        Restore r = runningRestore(engine);
        TransitionApplier applier = new TransitionApplier(r.f().repos());
        assertEquals(Result.APPLIED, applier.apply(TestGrants.signed(r.f().repos(), Transition.succeeded(r.job().id(), 1, "node-a"))));
        assertEquals(Result.DROPPED, applier.apply(TestGrants.signed(r.f().repos(), Transition.succeeded(r.job().id(), 1, "node-a"))));
        assertEquals(Result.DROPPED, applier.apply(TestGrants.signed(r.f().repos(), Transition.failed(r.job().id(), 1, "node-a",
                FailureDetail.COPY_FAILED, "late", true))));
        assertEquals(JobStatus.SUCCEEDED, r.f().job(r.job().id()).status());
        Backup backup = r.f().backup(r.backup().id());
        assertEquals(BackupStatus.AVAILABLE, backup.status());
        assertEquals("100", backup.restoreProgress());
        assertEquals(ShareStatus.AVAILABLE, r.f().share(r.target().id()).status());
        assertEquals(List.of(), messages(r.f().repos()));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFailedCopyLeavesTheTargetInBackupRestoringError(Engine engine) {
        Restore r = runningRestore(engine);
        new TransitionApplier(r.f().repos()).apply(TestGrants.signed(r.f().repos(), Transition.failed(r.job().id(), 1, "node-a",
                FailureDetail.COPY_FAILED, "disk full on the target", true)));
        Job job = r.f().job(r.job().id());
        assertEquals(JobStatus.FAILED, job.status());
        assertEquals("904", job.detailId());
        assertEquals("disk full on the target", job.reason());
        assertEquals(BackupStatus.AVAILABLE, r.f().backup(r.backup().id()).status());
        assertEquals(ShareStatus.BACKUP_RESTORING_ERROR, r.f().share(r.target().id()).status());
        assertEquals("904", messages(r.f().repos()).get(0).detailId());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFailureBeforeTouchingTheTargetLeavesItAvailableWithAUserMessage(Engine engine) {
        Restore r = runningRestore(engine);
        new TransitionApplier(r.f().repos()).apply(TestGrants.signed(r.f().repos(), Transition.failed(r.job().id(), 1, "node-a",
                FailureDetail.TARGETED_RESTORE_UNSUPPORTED, "driver cannot restore to a target", false)));
        assertEquals(BackupStatus.AVAILABLE, r.f().backup(r.backup().id()).status());
        assertEquals(ShareStatus.AVAILABLE, r.f().share(r.target().id()).status());
        List<UserMessage> messages = messages(r.f().repos());
        assertEquals(1, messages.size());
        UserMessage m = messages.get(0);
        assertEquals("028", m.actionId());
        assertEquals("032", m.detailId());
        assertEquals("SHARE", m.resourceType());
        assertEquals(r.target().id(), m.resourceId());
        assertEquals("p2", m.projectId(), "the target share's project");
        assertEquals(r.job().requestId(), m.requestId());
        assertEquals("ERROR", m.messageLevel());
        assertEquals(Duration.ofDays(30), Duration.between(m.createdAt(), m.expiresAt()));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void backupCreationSucceedsWithTheNodeAsHost(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.BACKUP_CREATING);
        Backup backup = f.backup(share, 10, BackupStatus.CREATING);
        Job job = f.job(JobKind.CREATE_BACKUP, backup, share, JobStatus.RUNNING, 1, "node-a");
        TransitionApplier applier = new TransitionApplier(f.repos());
        applier.apply(TestGrants.signed(f.repos(), Transition.progress(job.id(), 1, "node-a", 100)));
        applier.apply(TestGrants.signed(f.repos(), Transition.succeeded(job.id(), 1, "node-a")));
        Backup done = f.backup(backup.id());
        assertEquals(BackupStatus.AVAILABLE, done.status());
        assertEquals("100", done.progress());
        assertEquals("node-a", done.host());
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFailedBackupCreationIsAnErrorWithItsReason(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.BACKUP_CREATING);
        Backup backup = f.backup(share, 10, BackupStatus.CREATING);
        Job job = f.job(JobKind.CREATE_BACKUP, backup, share, JobStatus.RUNNING, 1, "node-a");
        new TransitionApplier(f.repos()).apply(TestGrants.signed(f.repos(), Transition.failed(job.id(), 1, "node-a", FailureDetail.MOUNT_FAILED,
                "mount.nfs: access denied", false)));
        Backup failed = f.backup(backup.id());
        assertEquals(BackupStatus.ERROR, failed.status());
        assertEquals("mount.nfs: access denied", failed.failReason());
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
        UserMessage m = messages(f.repos()).get(0);
        assertEquals("900", m.actionId());
        assertEquals("903", m.detailId());
        assertEquals("SHARE_BACKUP", m.resourceType());
        assertEquals(backup.id(), m.resourceId());
        assertTrue(m.projectId().equals("p1"));
    }

    /** A delete of an error backup in p1, claimed by node-a at epoch 1. */
    private Restore runningDelete(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 10, BackupStatus.DELETING);
        Job job = f.job(JobKind.DELETE_BACKUP, backup, share, JobStatus.RUNNING, 1, "node-a");
        return new Restore(f, share, share, backup, job);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSucceededDeleteSoftDeletesTheBackup(Engine engine) {
        Restore d = runningDelete(engine);
        TransitionApplier applier = new TransitionApplier(d.f().repos());
        assertEquals(Result.APPLIED, applier.apply(TestGrants.signed(d.f().repos(), Transition.progress(d.job().id(), 1, "node-a", 50))));
        assertEquals(Result.APPLIED, applier.apply(TestGrants.signed(d.f().repos(), Transition.succeeded(d.job().id(), 1, "node-a"))));
        assertEquals(Result.DROPPED, applier.apply(TestGrants.signed(d.f().repos(), Transition.succeeded(d.job().id(), 1, "node-a"))));
        Repositories repos = d.f().repos();
        assertEquals(JobStatus.SUCCEEDED, d.f().job(d.job().id()).status());
        assertEquals(BackupStatus.DELETED, repos.database().read(c -> repos.backups()
                .findIncludingDeleted(c, d.backup().id())).orElseThrow().status());
        assertTrue(repos.database().read(c -> repos.backups().find(c, d.backup().id())).isEmpty());
        assertEquals(List.of(), repos.database().read(c -> repos.backups().list(c,
                dev.ferry.api.db.BackupRepository.Filter.all())));
        assertEquals(ShareStatus.AVAILABLE, d.f().share(d.source().id()).status());
        assertEquals(List.of(), messages(repos));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFailedDeleteLeavesTheBackupErrorDeletingWithAUserMessage(Engine engine) {
        Restore d = runningDelete(engine);
        assertEquals(Result.APPLIED, new TransitionApplier(d.f().repos()).apply(TestGrants.signed(d.f().repos(), Transition.failed(d.job().id(), 1,
                "node-a", FailureDetail.MOUNT_FAILED, "mount.nfs: access denied", false))));
        Job job = d.f().job(d.job().id());
        assertEquals(JobStatus.FAILED, job.status());
        assertEquals("mount.nfs: access denied", job.reason());
        assertEquals(BackupStatus.ERROR_DELETING, d.f().backup(d.backup().id()).status());
        List<UserMessage> messages = messages(d.f().repos());
        assertEquals(1, messages.size());
        UserMessage m = messages.get(0);
        assertEquals("901", m.actionId());
        assertEquals("903", m.detailId());
        assertEquals("SHARE_BACKUP", m.resourceType());
        assertEquals(d.backup().id(), m.resourceId());
        assertEquals("p1", m.projectId());
        assertEquals(d.job().requestId(), m.requestId());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aStaleEpochDeleteTransitionIsDropped(Engine engine) {
        Restore d = runningDelete(engine);
        TransitionApplier applier = new TransitionApplier(d.f().repos());
        assertEquals(Result.DROPPED, applier.apply(TestGrants.signed(d.f().repos(), Transition.succeeded(d.job().id(), 0, "node-old"))));
        assertEquals(Result.DROPPED, applier.apply(TestGrants.signed(d.f().repos(), Transition.failed(d.job().id(), 2, "node-b",
                FailureDetail.MOUNT_FAILED, "late", false))));
        assertEquals(JobStatus.RUNNING, d.f().job(d.job().id()).status());
        assertEquals(BackupStatus.DELETING, d.f().backup(d.backup().id()).status());
        assertEquals(List.of(), messages(d.f().repos()));
    }

    /**
     * A success the database cannot store (the node's name is longer than backups.host's 255 characters: SQLState
     * 22001 on both databases) would be refused on every redelivery while the reaper ran the job again and again:
     * the job fails instead, with a short reason, and the transition is not returned to its queue.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSuccessTheDatabaseCannotStoreFailsTheJobInsteadOfLooping(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.BACKUP_CREATING);
        Backup backup = f.backup(share, 10, BackupStatus.CREATING);
        Job job = f.job(JobKind.CREATE_BACKUP, backup, share, JobStatus.RUNNING, 1, "node-a");
        TransitionApplier applier = new TransitionApplier(f.repos());
        Transition success = TestGrants.signed(f.repos(), Transition.succeeded(job.id(), 1, "node-" + "a".repeat(300)));

        assertEquals(Result.APPLIED, applier.apply(success), "applied (as a failure), not thrown back to the queue");

        Job failed = f.job(job.id());
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(FailureDetail.UNKNOWN_ERROR.id(), failed.detailId());
        assertTrue(failed.reason().startsWith("the data node reported success, but that could not be stored: "
                + "SQLState 22001: "), failed.reason());
        assertTrue(failed.reason().endsWith("the job failed so that it does not run again. See the data node's log"),
                failed.reason());
        assertTrue(failed.reason().length() < 400, "a short reason: " + failed.reason().length());
        Backup error = f.backup(backup.id());
        assertEquals(BackupStatus.ERROR, error.status());
        assertEquals(failed.reason(), error.failReason());
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
        UserMessage m = messages(f.repos()).get(0);
        assertEquals("900", m.actionId());
        assertEquals(FailureDetail.UNKNOWN_ERROR.id(), m.detailId());
        assertEquals(Result.DROPPED, applier.apply(success), "a redelivery changes nothing");
    }

    /** A failure whose reason the database refuses (class 22) fails the job with Ferry's own short reason. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFailureReasonTheDatabaseRefusesIsReplacedByAShortOne(Engine engine) {
        Restore r = runningRestore(engine);
        TransitionApplier applier = new TransitionApplier(r.f().repos());
        Transition failure = TestGrants.signed(r.f().repos(), Transition.failed(r.job().id(), 1, "node-a", FailureDetail.COPY_FAILED,
                "cannot copy refuse-me.txt: permission denied", false));

        try (RefusedValues refusal = RefusedValues.install(r.f().repos().database(), engine, "jobs", "reason",
                "refuse-me")) {
            assertEquals(Result.APPLIED, applier.apply(failure));
        }

        Job failed = r.f().job(r.job().id());
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("904", failed.detailId(), "the node's detail is kept");
        assertTrue(failed.reason().startsWith("the data node's failure reason could not be stored: SQLState "
                + RefusedValues.SQL_STATE + ": "), failed.reason());
        assertTrue(failed.reason().contains(RefusedValues.MESSAGE), failed.reason());
        assertEquals(BackupStatus.AVAILABLE, r.f().backup(r.backup().id()).status());
        assertEquals(ShareStatus.AVAILABLE, r.f().share(r.target().id()).status(), "the node did not touch it");
        UserMessage m = messages(r.f().repos()).get(0);
        assertEquals("028", m.actionId());
        assertEquals("904", m.detailId());
        assertEquals(r.target().id(), m.resourceId());
        assertEquals(Result.DROPPED, applier.apply(failure), "a redelivery changes nothing");
    }

    /** Progress the database refuses ends the restore failed; its target counts as touched. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void progressTheDatabaseRefusesFailsTheJob(Engine engine) {
        Restore r = runningRestore(engine);
        TransitionApplier applier = new TransitionApplier(r.f().repos());

        try (RefusedValues refusal = RefusedValues.install(r.f().repos().database(), engine, "backups",
                "restore_progress", "42")) {
            assertEquals(Result.APPLIED, applier.apply(TestGrants.signed(r.f().repos(), Transition.progress(r.job().id(), 1, "node-a", 42))));
        }

        Job failed = r.f().job(r.job().id());
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(FailureDetail.UNKNOWN_ERROR.id(), failed.detailId());
        assertTrue(failed.reason().startsWith("a progress report of the data node could not be stored: SQLState "
                + RefusedValues.SQL_STATE + ": "), failed.reason());
        Backup backup = r.f().backup(r.backup().id());
        assertEquals(BackupStatus.AVAILABLE, backup.status());
        assertEquals("0", backup.restoreProgress());
        assertEquals(ShareStatus.BACKUP_RESTORING_ERROR, r.f().share(r.target().id()).status());
        assertEquals(FailureDetail.UNKNOWN_ERROR.id(), messages(r.f().repos()).get(0).detailId());
        assertEquals(Result.DROPPED, applier.apply(TestGrants.signed(r.f().repos(), Transition.progress(r.job().id(), 1, "node-a", 50))));
    }

    private static List<UserMessage> messages(Repositories repos) {
        return repos.database().read(c -> repos.messages().list(c, UserMessageRepository.Filter.all()));
    }
}
