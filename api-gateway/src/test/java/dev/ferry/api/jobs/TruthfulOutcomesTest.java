package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.StatusRpc.Transition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A restore that fails without writing into its target leaves the target's source_backup_id as it was; a share
 * created from a backup shows its creation's progress.
 */
class TruthfulOutcomesTest extends OnBothDatabases {

    /** {@code target} goes backup_restoring for {@code backup}, as the API's restore does, with a running job. */
    private static Job restoreInto(Fixtures f, Share target, Backup backup) {
        Repositories repos = f.repos();
        repos.database().inTransaction(c -> {
            repos.backups().startRestore(c, backup.id());
            repos.shares().startRestore(c, target.id(), backup.id());
            return null;
        });
        return f.job(JobKind.RESTORE, backup, target, JobStatus.RUNNING, 1, "node-a");
    }

    private static void apply(Fixtures f, Transition transition) {
        new TransitionApplier(f.repos()).apply(TestGrants.signed(f.repos(), transition));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRestoreRefusedBeforeWritingLeavesTheTargetsSourceBackupAsItWas(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup earlier = f.backup(source, 10, BackupStatus.AVAILABLE);
        Backup later = f.backup(source, 10, BackupStatus.AVAILABLE);

        Job first = restoreInto(f, target, earlier);
        apply(f, Transition.succeeded(first.id(), 1, "node-a"));
        assertEquals(earlier.id(), f.share(target.id()).sourceBackupId(), "a restore that wrote names its backup");

        Job refused = restoreInto(f, target, later);
        assertEquals(later.id(), f.share(target.id()).sourceBackupId(), "while restoring, as Manila shows it");
        apply(f, Transition.failed(refused.id(), 1, "node-a", FailureDetail.PROTOCOL_PAIR_UNSUPPORTED,
                "cannot restore NFS into CIFS", false));

        Share after = f.share(target.id());
        assertEquals(ShareStatus.AVAILABLE, after.status());
        assertEquals(earlier.id(), after.sourceBackupId(), "nothing of the refused backup was written");
        assertEquals(BackupStatus.AVAILABLE, f.backup(later.id()).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFirstRestoreRefusedBeforeWritingLeavesNoSourceBackup(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 10, BackupStatus.AVAILABLE);
        Job job = restoreInto(f, target, backup);
        apply(f, Transition.failed(job.id(), 1, "node-a", FailureDetail.TARGETED_RESTORE_UNSUPPORTED, "no", false));
        assertNull(f.share(target.id()).sourceBackupId());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRestoreThatFailedAfterWritingKeepsTheBackupAsSource(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 10, BackupStatus.AVAILABLE);
        Job job = restoreInto(f, target, backup);
        apply(f, Transition.failed(job.id(), 1, "node-a", FailureDetail.COPY_FAILED, "disk full", true));
        Share after = f.share(target.id());
        assertEquals(ShareStatus.BACKUP_RESTORING_ERROR, after.status());
        assertEquals(backup.id(), after.sourceBackupId(), "the target holds part of the backup");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aShareCreatedFromABackupShowsItsProgressUntilItIsAvailable(Engine engine) {
        Database db = dbs.fresh(engine);
        Fixtures f = new Fixtures(db);
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 10, BackupStatus.RESTORING);
        Share creating = f.subdirShare("p1", 10, ShareStatus.CREATING);
        assertEquals("0%", f.share(creating.id()).progressText(), "a creating share without a report");
        Job job = f.shareJob(JobKind.CREATE_SHARE, backup, creating, null, JobStatus.RUNNING, 1, "node-a");

        apply(f, Transition.progress(job.id(), 1, "node-a", 42));
        assertEquals("42%", f.share(creating.id()).progressText());
        apply(f, Transition.progress(job.id(), 1, "node-a", 30));
        assertEquals("42%", f.share(creating.id()).progressText(), "progress never goes back");
        apply(f, Transition.succeeded(job.id(), 1, "node-a"));

        Share created = f.share(creating.id());
        assertEquals(ShareStatus.AVAILABLE, created.status());
        assertEquals("100%", created.progressText());
        assertEquals("100%", f.share(source.id()).progressText(), "a share Ferry did not create");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRestoreIntoAnExistingShareDoesNotChangeItsProgress(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 10, BackupStatus.AVAILABLE);
        Job job = restoreInto(f, target, backup);
        apply(f, Transition.progress(job.id(), 1, "node-a", 50));
        assertEquals("100%", f.share(target.id()).progressText(), "progress is about the share's creation");
        assertEquals("50", f.backup(backup.id()).restoreProgress());
    }
}
