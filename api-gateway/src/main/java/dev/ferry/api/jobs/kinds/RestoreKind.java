package dev.ferry.api.jobs.kinds;

import dev.ferry.api.db.BackupRepository.ProgressField;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.service.Policies;
import dev.ferry.api.service.Policy;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RestoreScope;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.UndecodableMessageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code restore_backup}: a backup's data written into a target share. Admitted (by the API and for a cast that did
 * not come through it) when the caller's roles allow {@code share_backup:restore}, the backup is the caller's
 * project's and available, the target is the caller's to write, available and not smaller than the backup. Starting
 * it moves the backup to {@code restoring} and the target to {@code backup_restoring} (recording the backup as its
 * source). Success leaves both available; a failure leaves the backup available and the target
 * {@code backup_restoring_error} when it may have been written, else available with its former source; a cancel
 * the same, with the message on the target, where Manila puts restore failures.
 */
public final class RestoreKind implements KindRules {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreKind.class);
    private final Repositories repos;

    public RestoreKind(Repositories repos) {
        this.repos = repos;
    }

    @Override
    public JobKind kind() {
        return JobKind.RESTORE;
    }

    @Override
    public UserMessageAction action() {
        return UserMessageAction.RESTORE_BACKUP;
    }

    @Override
    public boolean aboutBackup() {
        return false;
    }

    @Override
    public boolean endsWithBackupCancel() {
        return true;
    }

    /**
     * Every check a restore of {@code backup} (null: not found) into {@code target} (null: not found) fails, in
     * Manila's order, plus Ferry's 403 for a share the caller sees but may not write.
     */
    public Verdict admission(Policies policies, RequestContext caller, String backupId, Backup backup,
                             String targetId, Share target) {
        List<Refusal> refusals = new ArrayList<>(Checks.present(
                Checks.policy(policies, Policy.BACKUP_RESTORE, caller),
                Checks.backupOf(caller, backupId, backup)));
        if (backup != null) {
            Checks.backupAvailable(backup).ifPresent(refusals::add);
        }
        Optional<Refusal> access = Checks.writableShare(caller, targetId, target, 404,
                "NotFound: Resource could not be found.", "Share " + targetId + " belongs to another project: only "
                        + "its owning project or an admin may restore a backup into it. Restore into a share of your "
                        + "own project.");
        access.ifPresent(refusals::add);
        if (target != null) {
            if (target.status() != ShareStatus.AVAILABLE) {
                refusals.add(targetNotAvailable(target.id(), target.status()));
            }
            if (backup != null && backup.size() > target.size()) {
                refusals.add(Refusal.invalid("Invalid share: Share size " + target.size()
                        + " is too small to restore backup of size " + backup.size() + "."));
            }
        }
        return new Verdict(refusals);
    }

    /** Manila's message, then the share's status and why it refuses ({@code status} null: it is gone). */
    static Refusal targetNotAvailable(String shareId, ShareStatus status) {
        return Refusal.invalid("Invalid share: Share to be restored to must be available. Share " + shareId
                + (status == null ? " no longer exists." : " is '" + status.wire() + "'" + status.why() + "."));
    }

    /**
     * Backup → restoring, target → backup_restoring with the backup as its source; a lost race is refused like the
     * status check it lost.
     */
    void start(Connection c, Backup backup, Share target) throws SQLException {
        if (!repos.backups().startRestore(c, backup.id())) {
            throw Checks.backupNotAvailable(backup.id());
        }
        if (!repos.shares().startRestore(c, target.id(), backup.id())) {
            throw targetNotAvailable(target.id(), repos.shares().find(c, target.id()).map(Share::status).orElse(null));
        }
    }

    /**
     * An admitted restore of {@code selection} (null: the whole backup) starts: the statuses, a queued job keeping the
     * selection (its grant carries it to the data node; the cast stays Manila's), and its cast in the outbox.
     */
    public Job enqueue(Connection c, CastOutbox outbox, Backup backup, Share target, RestoreScope selection,
                       RequestContext caller) throws SQLException {
        start(c, backup, target);
        Job job = Job.queued(UUID.randomUUID().toString(), kind(), backup.id(), target.id(), caller.requestId(),
                Timestamps.now(repos.clock())).withRestoreSelection(selection == null ? null : selection.toJsonText());
        repos.jobs().insert(c, job);
        outbox.add(c, DataRpc.TOPIC, DataRpc.restoreBackup(backup.toRow(), target.id(), caller));
        return job;
    }

    @Override
    public Held adopt(Connection c, ForeignCast cast) throws SQLException {
        Backup backup = repos.backups().find(c, cast.backupId()).orElse(null);
        Share target = repos.shares().find(c, cast.shareId()).orElse(null);
        admission(cast.policies(), cast.caller(), cast.backupId(), backup, cast.shareId(), target)
                .requireForCast(cast.caller(), "restore backup " + cast.backupId() + " into share " + cast.shareId(),
                        () -> new Notice(action(), Notice.SHARE, target.id(), target.projectId()));
        start(c, backup, target);
        return new Held(backup.id(), target.id());
    }

    @Override
    public StateRpc.Grant grant(Connection c, Job job, int leaseSeconds) throws SQLException {
        Backup backup = repos.backups().find(c, job.backupId())
                .orElseThrow(() -> Refusal.invalid("backup " + job.backupId() + " does not exist"));
        ShareInfo target = repos.shares().find(c, job.shareId()).map(Share::info)
                .orElseThrow(() -> Refusal.invalid("Share " + job.shareId() + " could not be found."));
        ShareInfo source = backup.shareId().equals(job.shareId()) ? target // in place: the same share, read once
                : repos.shares().find(c, backup.shareId()).map(Share::info).orElse(null);
        return new StateRpc.Grant(job.id(), job.epoch(), job.kind(), backup.toRow(), source, target, leaseSeconds)
                .withRestoreSelection(selection(job));
    }

    /** The selection the job keeps; a row the api-gateway cannot read refuses the claim rather than restore all. */
    private static RestoreScope selection(Job job) {
        String kept = job.restoreSelection();
        try {
            return RestoreScope.fromJsonText(kept);
        } catch (UndecodableMessageException e) {
            LOG.error("job {}: its restore selection cannot be read ({}): {}", job.id(), e.getMessage(), kept);
            throw Refusal.invalid("job " + job.id() + " keeps a restore selection that cannot be read: "
                    + e.getMessage());
        }
    }

    @Override
    public boolean progress(Connection c, Job job, int percent) throws SQLException {
        return BackupProgress.record(repos, c, job, percent, BackupStatus.RESTORING, ProgressField.RESTORE_PROGRESS);
    }

    @Override
    public void succeed(Connection c, Job job, String node) throws SQLException {
        Checks.expect(repos.backups().finishRestore(c, job.backupId()), "backup", job.backupId(), "restoring");
        Checks.expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_RESTORING,
                ShareStatus.AVAILABLE), "share", job.shareId(), "backup_restoring");
        LOG.info("job {}: restore of backup {} into share {} succeeded", job.id(), job.backupId(), job.shareId());
    }

    /** On the target share, where Manila puts restore messages. */
    @Override
    public Notice successNotice(Connection c, Job job) throws SQLException {
        String project = Checks.projectOf(repos.shares().find(c, job.shareId()).orElse(null));
        return project == null ? null : new Notice(action(), Notice.SHARE, job.shareId(), project);
    }

    @Override
    public Notice fail(Connection c, Job job, FailureDetail detail, String reason, boolean targetTouched)
            throws SQLException {
        Checks.expect(repos.backups().abandonRestore(c, job.backupId()), "backup", job.backupId(), "restoring");
        ShareStatus after = targetTouched ? ShareStatus.BACKUP_RESTORING_ERROR : ShareStatus.AVAILABLE;
        Checks.expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_RESTORING, after), "share",
                job.shareId(), "backup_restoring");
        if (!targetTouched) {
            repos.shares().restorePriorSource(c, job.shareId(), job.backupId()); // nothing of it was written
        }
        String project = Checks.projectOf(repos.shares().find(c, job.shareId()).orElse(null));
        if (project == null) {
            project = repos.backups().find(c, job.backupId()).map(Backup::projectId).orElse(null);
        }
        LOG.warn("job {}: restore of backup {} into share {} failed ({}: {}); share is now {}", job.id(),
                job.backupId(), job.shareId(), detail.id(), reason, after.wire());
        return new Notice(action(), Notice.SHARE, job.shareId(), project);
    }

    @Override
    public Notice cancel(Connection c, Job job, boolean mayHaveWritten, String reason) throws SQLException {
        Checks.expectQuietly(repos.backups().abandonRestore(c, job.backupId()), "backup", job.backupId(),
                "restoring");
        ShareStatus after = mayHaveWritten ? ShareStatus.BACKUP_RESTORING_ERROR : ShareStatus.AVAILABLE;
        Checks.expectQuietly(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_RESTORING, after),
                "share", job.shareId(), "backup_restoring");
        if (!mayHaveWritten) {
            repos.shares().restorePriorSource(c, job.shareId(), job.backupId()); // nothing of it was written
        }
        String project = Checks.projectOf(repos.shares().find(c, job.shareId()).orElse(null));
        return project == null ? null : new Notice(action(), Notice.SHARE, job.shareId(), project);
    }

    @Override
    public Optional<RpcRequest> recast(Connection c, Job job) throws SQLException {
        return repos.backups().find(c, job.backupId()).map(b -> DataRpc.restoreBackup(b.toRow(), job.shareId(),
                Checks.ownerContext(repos.clock(), b.userId(), b.projectId(), job)));
    }

    @Override
    public String needs(Job job) {
        return "backup " + job.backupId();
    }
}
