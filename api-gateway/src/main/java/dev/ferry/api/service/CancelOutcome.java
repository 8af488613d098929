package dev.ferry.api.service;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessageAction;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a cancelled job leaves, per kind, inside the caller's transaction. A restore: the backup available, the
 * target available when nothing can have been written, else {@code backup_restoring_error}; the message on the
 * target. A share created from a backup: the share {@code error}, the backup available; the message on the share.
 * A backup creation: the backup {@code error} (its node removes the partial copy), its share available; the message
 * on the backup. Deletions and shrinks are only ever fenced by an admin who sets the status: nothing changes here.
 * Every change names the status it expects, so one the admin already made is left as it is.
 */
final class CancelOutcome {
    private static final Logger LOG = LoggerFactory.getLogger(CancelOutcome.class);
    static final String RESOURCE_SHARE = "SHARE";
    static final String RESOURCE_SHARE_BACKUP = "SHARE_BACKUP";
    private final Repositories repos;

    CancelOutcome(Repositories repos) {
        this.repos = repos;
    }

    /** Where the user message goes: the action it is about, and the resource and its project. */
    record Notice(UserMessageAction action, String resourceType, String resourceId, String projectId) {
    }

    /** Applies the outcome; returns where its message goes, or null when the kind leaves none. */
    Notice apply(Connection c, Job job, boolean mayHaveWritten, String reason) throws SQLException {
        switch (job.kind()) {
            case RESTORE -> {
                expect(repos.backups().abandonRestore(c, job.backupId()), "backup", job.backupId(), "restoring");
                ShareStatus after = mayHaveWritten ? ShareStatus.BACKUP_RESTORING_ERROR : ShareStatus.AVAILABLE;
                expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_RESTORING, after), "share",
                        job.shareId(), "backup_restoring");
                return onShare(c, UserMessageAction.RESTORE_BACKUP, job);
            }
            case CREATE_SHARE -> {
                if (job.backupId() != null) {
                    expect(repos.backups().abandonRestore(c, job.backupId()), "backup", job.backupId(), "restoring");
                }
                expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.CREATING, ShareStatus.ERROR), "share",
                        job.shareId(), "creating");
                return onShare(c, UserMessageAction.CREATE, job);
            }
            case CREATE_BACKUP -> {
                expect(repos.backups().failCreate(c, job.backupId(), reason), "backup", job.backupId(), "creating");
                expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_CREATING,
                        ShareStatus.AVAILABLE), "share", job.shareId(), "backup_creating");
                Optional<String> project = repos.backups().find(c, job.backupId()).map(Backup::projectId);
                return project.map(p -> new Notice(UserMessageAction.CREATE_BACKUP, RESOURCE_SHARE_BACKUP,
                        job.backupId(), p)).orElse(null);
            }
            case DELETE_BACKUP, DELETE_SHARE, SHRINK_SHARE -> {
                return null;
            }
            default -> throw new IllegalStateException("no cancel outcome for job kind " + job.kind());
        }
    }

    private Notice onShare(Connection c, UserMessageAction action, Job job) throws SQLException {
        return repos.shares().find(c, job.shareId()).map(Share::projectId)
                .map(p -> new Notice(action, RESOURCE_SHARE, job.shareId(), p)).orElse(null);
    }

    private static void expect(boolean changed, String what, String id, String status) {
        if (!changed) {
            LOG.info("{} {} was no longer {}; its status was left as it is", what, id, status);
        }
    }
}
