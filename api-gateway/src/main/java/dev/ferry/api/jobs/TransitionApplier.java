package dev.ferry.api.jobs;

import dev.ferry.api.db.BackupRepository.ProgressField;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobAttempt;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.StatusRpc;
import java.time.Duration;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Applies {@code job_transition} casts to the database. A transition counts only for a running job at
 * the epoch it quotes; anything else is dropped (logged at INFO), so duplicates and replays are harmless,
 * and a node whose job was taken back (lease expired, released) can no longer change it. Success and
 * failure change the job, its attempt, the backup, the share (and add a user message) in one transaction.
 * A database failure propagates as a {@link dev.ferry.api.db.DataAccessException}, so the RPC server
 * returns the transition to its queue instead of losing it.
 */
public final class TransitionApplier {
    private static final Logger LOG = LoggerFactory.getLogger(TransitionApplier.class);
    /** Manila's resource type for share messages; Ferry's own for a failed backup creation or deletion. */
    public static final String RESOURCE_SHARE = "SHARE";
    public static final String RESOURCE_SHARE_BACKUP = "SHARE_BACKUP";
    private final Database db;
    private final Repositories repos;
    private final UserMessageRecorder messages;

    /** User messages live {@link UserMessageRecorder#TTL}. */
    public TransitionApplier(Repositories repos) {
        this(repos, UserMessageRecorder.TTL);
    }

    public TransitionApplier(Repositories repos, Duration messageTtl) {
        this.repos = repos;
        this.db = repos.database();
        this.messages = new UserMessageRecorder(repos.messages(), repos.clock(), messageTtl);
    }

    /** Whether a transition changed anything. */
    public enum Result { APPLIED, DROPPED }

    public Result apply(StatusRpc.Transition transition) {
        return db.inTransaction(c -> {
            Optional<Job> found = repos.jobs().findForUpdate(c, transition.jobId());
            if (found.isEmpty()) {
                return drop(transition, "job " + transition.jobId() + " does not exist");
            }
            Job job = found.get();
            String previous = MDC.get("request_id");
            if (job.requestId() != null) {
                MDC.put("request_id", job.requestId());
            }
            try {
                if (job.epoch() != transition.epoch()) {
                    return drop(transition, "stale epoch " + transition.epoch() + ": job " + job.id() + " is at epoch "
                            + job.epoch() + " (node " + job.node() + ")");
                }
                if (job.status() != JobStatus.RUNNING) {
                    return drop(transition, "job " + job.id() + " is " + job.status().wire() + ", not running");
                }
                return switch (transition.outcome()) {
                    case PROGRESS -> progress(c, job, transition.progress());
                    case SUCCEEDED -> succeed(c, job, transition.node());
                    case FAILED -> fail(c, job, transition);
                };
            } finally {
                if (previous == null) {
                    MDC.remove("request_id");
                } else {
                    MDC.put("request_id", previous);
                }
            }
        });
    }

    private Result progress(Connection c, Job job, int reported) throws SQLException {
        int percent = Math.max(0, Math.min(100, reported));
        repos.jobs().touch(c, job.id(), job.epoch());
        if (job.kind() == JobKind.DELETE_BACKUP || (job.kind().sharesOnly() && job.backupId() == null)) {
            return Result.APPLIED; // no progress field to write: the report only shows the node is alive
        }
        // a share created from a backup reports the restore into it
        boolean restore = job.kind() == JobKind.RESTORE || job.kind() == JobKind.CREATE_SHARE;
        BackupStatus expected = restore ? BackupStatus.RESTORING : BackupStatus.CREATING;
        Optional<Backup> backup = repos.backups().find(c, job.backupId()).filter(b -> b.status() == expected);
        if (backup.isEmpty()) {
            LOG.info("progress {}% of job {} not recorded: backup {} is not {}", percent, job.id(), job.backupId(),
                    expected.wire());
            return Result.DROPPED;
        }
        String current = restore ? backup.get().restoreProgress() : backup.get().progress();
        if (percent <= parse(current)) {
            return Result.APPLIED; // progress never goes back
        }
        ProgressField field = restore ? ProgressField.RESTORE_PROGRESS : ProgressField.PROGRESS;
        repos.backups().setProgress(c, job.backupId(), expected, field, current, Integer.toString(percent));
        return Result.APPLIED;
    }

    private Result succeed(Connection c, Job job, String node) throws SQLException {
        repos.jobs().finish(c, job.id(), job.epoch(), JobStatus.SUCCEEDED, null, null);
        repos.attempts().close(c, job.id(), job.epoch(), JobAttempt.SUCCEEDED);
        if (job.kind().sharesOnly()) {
            shareJobSucceeded(c, job);
        } else if (job.kind() == JobKind.DELETE_BACKUP) {
            expect(repos.backups().finishDelete(c, job.backupId()), "backup", job.backupId(), "deleting");
            LOG.info("job {}: backup {} deleted", job.id(), job.backupId());
        } else if (job.kind() == JobKind.RESTORE) {
            expect(repos.backups().finishRestore(c, job.backupId()), "backup", job.backupId(), "restoring");
            expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_RESTORING, ShareStatus.AVAILABLE),
                    "share", job.shareId(), "backup_restoring");
            LOG.info("job {}: restore of backup {} into share {} succeeded", job.id(), job.backupId(), job.shareId());
        } else {
            expect(repos.backups().finishCreate(c, job.backupId(), node != null ? node : job.node()), "backup",
                    job.backupId(), "creating");
            expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_CREATING, ShareStatus.AVAILABLE),
                    "share", job.shareId(), "backup_creating");
            LOG.info("job {}: backup {} of share {} created", job.id(), job.backupId(), job.shareId());
        }
        return Result.APPLIED;
    }

    private Result fail(Connection c, Job job, StatusRpc.Transition transition) throws SQLException {
        FailureDetail detail = transition.detail() == null ? FailureDetail.UNKNOWN_ERROR : transition.detail();
        String reason = transition.reason() == null ? detail.text() : transition.reason();
        repos.jobs().finish(c, job.id(), job.epoch(), JobStatus.FAILED, detail.id(), reason);
        repos.attempts().close(c, job.id(), job.epoch(), JobAttempt.FAILED);
        if (job.kind().sharesOnly()) {
            shareJobFailed(c, job, detail, reason);
        } else if (job.kind() == JobKind.DELETE_BACKUP) {
            expect(repos.backups().failDelete(c, job.backupId()), "backup", job.backupId(), "deleting");
            recordIfOwned(c, UserMessageAction.DELETE_BACKUP, detail, RESOURCE_SHARE_BACKUP, job.backupId(),
                    backupProject(c, job).orElse(null), job);
            LOG.warn("job {}: deletion of backup {} failed ({}: {}); backup is now error_deleting", job.id(),
                    job.backupId(), detail.id(), reason);
        } else if (job.kind() == JobKind.RESTORE) {
            expect(repos.backups().abandonRestore(c, job.backupId()), "backup", job.backupId(), "restoring");
            ShareStatus after = transition.targetTouched() ? ShareStatus.BACKUP_RESTORING_ERROR : ShareStatus.AVAILABLE;
            expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_RESTORING, after), "share",
                    job.shareId(), "backup_restoring");
            Optional<String> shareProject = repos.shares().find(c, job.shareId()).map(Share::projectId);
            String project = shareProject.isPresent() ? shareProject.get() : backupProject(c, job).orElse(null);
            recordIfOwned(c, UserMessageAction.RESTORE_BACKUP, detail, RESOURCE_SHARE, job.shareId(), project, job);
            LOG.warn("job {}: restore of backup {} into share {} failed ({}: {}); share is now {}", job.id(),
                    job.backupId(), job.shareId(), detail.id(), reason, after.wire());
        } else {
            expect(repos.backups().failCreate(c, job.backupId(), reason), "backup", job.backupId(), "creating");
            expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_CREATING, ShareStatus.AVAILABLE),
                    "share", job.shareId(), "backup_creating");
            String project = backupProject(c, job).orElse(null);
            recordIfOwned(c, UserMessageAction.CREATE_BACKUP, detail, RESOURCE_SHARE_BACKUP, job.backupId(), project,
                    job);
            LOG.warn("job {}: backup {} of share {} failed ({}: {})", job.id(), job.backupId(), job.shareId(),
                    detail.id(), reason);
        }
        return Result.APPLIED;
    }

    /**
     * create_share: creating → available (and the backup it was filled from back to available);
     * delete_share: the row goes; shrink_share: the new size is recorded and the share is available again.
     */
    private void shareJobSucceeded(Connection c, Job job) throws SQLException {
        switch (job.kind()) {
            case CREATE_SHARE -> {
                if (job.backupId() != null) {
                    expect(repos.backups().finishRestore(c, job.backupId()), "backup", job.backupId(), "restoring");
                }
                expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.CREATING, ShareStatus.AVAILABLE),
                        "share", job.shareId(), "creating");
                LOG.info("job {}: share {} created{}", job.id(), job.shareId(),
                        job.backupId() == null ? "" : " from backup " + job.backupId());
            }
            case DELETE_SHARE -> {
                expect(repos.shares().remove(c, job.shareId(), ShareStatus.DELETING), "share", job.shareId(),
                        "deleting");
                LOG.info("job {}: share {} deleted", job.id(), job.shareId());
            }
            case SHRINK_SHARE -> {
                expect(repos.shares().resize(c, job.shareId(), ShareStatus.SHRINKING, job.newSize()), "share",
                        job.shareId(), "shrinking");
                expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.SHRINKING, ShareStatus.AVAILABLE),
                        "share", job.shareId(), "shrinking");
                LOG.info("job {}: share {} shrunk to {} GiB", job.id(), job.shareId(), job.newSize());
            }
            default -> throw new IllegalStateException("not a share job: " + job.kind());
        }
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

    private static void expect(boolean changed, String what, String id, String status) {
        if (!changed) {
            LOG.warn("{} {} was no longer {}; its status was left as it is", what, id, status);
        }
    }

    private static Result drop(StatusRpc.Transition transition, String reason) {
        LOG.info("dropped {} transition of job {} from node {}: {}", transition.outcome().wire(), transition.jobId(),
                transition.node(), reason);
        return Result.DROPPED;
    }

    private static int parse(String progress) {
        try {
            return progress == null ? 0 : Integer.parseInt(progress.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
