package dev.ferry.api.jobs;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.FailureReasons;
import dev.ferry.messages.JobKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed job leaves behind, per kind, inside the caller's transaction: the job failed with its detail
 * and (bounded) reason, its attempt closed, its backup and share in the statuses a failure of its kind gives
 * them, and a user message on what the user asked for. Both a data node's failure transition
 * ({@link TransitionApplier}) and a job the reaper gives up on ({@link JobRequeue}) end this way. Callers hold
 * the job's row lock.
 */
public final class JobFailure {
    private static final Logger LOG = LoggerFactory.getLogger(JobFailure.class);
    /** Manila's resource type for share messages; Ferry's own for a failed backup creation or deletion. */
    public static final String RESOURCE_SHARE = "SHARE";
    public static final String RESOURCE_SHARE_BACKUP = "SHARE_BACKUP";
    private final Repositories repos;
    private final UserMessageRecorder messages;

    /** User messages live {@code messageTtl} ({@code FERRY_MESSAGE_TTL}). */
    public JobFailure(Repositories repos, Duration messageTtl) {
        this.repos = repos;
        this.messages = new UserMessageRecorder(repos.messages(), repos.clock(), messageTtl);
    }

    /**
     * Fails {@code job} at its epoch. {@code reason} null means the detail's text; {@code targetTouched} says
     * whether a restore may have written into its target (then the target is left
     * {@code backup_restoring_error}; when not, the target gets back the source_backup_id it had before); {@code attemptOutcome} closes the attempt. False when the job was not
     * running at its epoch (nothing changed).
     */
    public boolean fail(Connection c, Job job, FailureDetail detail, String reason, boolean targetTouched,
                        String attemptOutcome) throws SQLException {
        String why = FailureReasons.bound(reason == null ? detail.text() : reason);
        if (!repos.jobs().finish(c, job.id(), job.epoch(), JobStatus.FAILED, detail.id(), why)) {
            return false;
        }
        repos.attempts().close(c, job.id(), job.epoch(), attemptOutcome);
        if (job.kind().sharesOnly()) {
            shareJobFailed(c, job, detail, why);
        } else if (job.kind() == JobKind.DELETE_BACKUP) {
            expect(repos.backups().failDelete(c, job.backupId()), "backup", job.backupId(), "deleting");
            recordIfOwned(c, UserMessageAction.DELETE_BACKUP, detail, RESOURCE_SHARE_BACKUP, job.backupId(),
                    backupProject(c, job).orElse(null), job);
            LOG.warn("job {}: deletion of backup {} failed ({}: {}); backup is now error_deleting", job.id(),
                    job.backupId(), detail.id(), why);
        } else if (job.kind() == JobKind.RESTORE) {
            expect(repos.backups().abandonRestore(c, job.backupId()), "backup", job.backupId(), "restoring");
            ShareStatus after = targetTouched ? ShareStatus.BACKUP_RESTORING_ERROR : ShareStatus.AVAILABLE;
            expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_RESTORING, after), "share",
                    job.shareId(), "backup_restoring");
            if (!targetTouched) {
                repos.shares().restorePriorSource(c, job.shareId(), job.backupId()); // nothing of it was written
            }
            Optional<String> shareProject = repos.shares().find(c, job.shareId()).map(Share::projectId);
            String project = shareProject.isPresent() ? shareProject.get() : backupProject(c, job).orElse(null);
            recordIfOwned(c, UserMessageAction.RESTORE_BACKUP, detail, RESOURCE_SHARE, job.shareId(), project, job);
            LOG.warn("job {}: restore of backup {} into share {} failed ({}: {}); share is now {}", job.id(),
                    job.backupId(), job.shareId(), detail.id(), why, after.wire());
        } else {
            expect(repos.backups().failCreate(c, job.backupId(), why), "backup", job.backupId(), "creating");
            expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_CREATING, ShareStatus.AVAILABLE),
                    "share", job.shareId(), "backup_creating");
            recordIfOwned(c, UserMessageAction.CREATE_BACKUP, detail, RESOURCE_SHARE_BACKUP, job.backupId(),
                    backupProject(c, job).orElse(null), job);
            LOG.warn("job {}: backup {} of share {} failed ({}: {})", job.id(), job.backupId(), job.shareId(),
                    detail.id(), why);
        }
        return true;
    }

    /**
     * create_share: the share is error (and the backup available again); delete_share: error_deleting;
     * shrink_share: available at its old size. Each leaves a user message on the share.
     */
    private void shareJobFailed(Connection c, Job job, FailureDetail detail, String reason) throws SQLException {
        UserMessageAction action;
        ShareStatus from;
        ShareStatus to;
        switch (job.kind()) {
            case CREATE_SHARE -> {
                if (job.backupId() != null) {
                    expect(repos.backups().abandonRestore(c, job.backupId()), "backup", job.backupId(), "restoring");
                }
                action = UserMessageAction.CREATE;
                from = ShareStatus.CREATING;
                to = ShareStatus.ERROR;
            }
            case DELETE_SHARE -> {
                action = UserMessageAction.DELETE;
                from = ShareStatus.DELETING;
                to = ShareStatus.ERROR_DELETING;
            }
            case SHRINK_SHARE -> {
                action = UserMessageAction.SHRINK;
                from = ShareStatus.SHRINKING;
                to = ShareStatus.AVAILABLE;
            }
            default -> throw new IllegalStateException("not a share job: " + job.kind());
        }
        expect(repos.shares().changeStatus(c, job.shareId(), from, to), "share", job.shareId(), from.wire());
        recordIfOwned(c, action, detail, RESOURCE_SHARE, job.shareId(),
                repos.shares().find(c, job.shareId()).map(Share::projectId).orElse(null), job);
        LOG.warn("job {}: {} of share {} failed ({}: {}); share is now {}", job.id(), job.kind().wireName(),
                job.shareId(), detail.id(), reason, to.wire());
    }

    private void recordIfOwned(Connection c, UserMessageAction action, FailureDetail detail, String type, String id,
                               String project, Job job) throws SQLException {
        if (project == null) {
            LOG.warn("job {}: no user message recorded: {} {} is gone", job.id(), type, id);
            return;
        }
        messages.record(c, action, detail, type, id, project, job.requestId());
    }

    private Optional<String> backupProject(Connection c, Job job) throws SQLException {
        return repos.backups().find(c, job.backupId()).map(Backup::projectId);
    }

    static void expect(boolean changed, String what, String id, String status) {
        if (!changed) {
            LOG.warn("{} {} was no longer {}; its status was left as it is", what, id, status);
        }
    }
}
