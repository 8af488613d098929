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
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code create_share}: a {@code subdir} share's folder made by a data node, empty or filled from a backup (the
 * job's backup id then names it). Created from a backup, it is admitted as a restore's source is (the caller's roles
 * allow {@code share_backup:restore}, the backup is the caller's project's and available) and the share must be at
 * least the backup's size; the backup is {@code restoring} while the share is {@code creating}, and the share's
 * {@code progress} moves with the copy. Success leaves the share available (and the backup); a failure or cancel
 * leaves the share {@code error} and the backup available, with the message on the share. Only Ferry's API starts
 * these jobs.
 */
public final class CreateShareKind implements KindRules {
    private static final Logger LOG = LoggerFactory.getLogger(CreateShareKind.class);
    private final Repositories repos;

    public CreateShareKind(Repositories repos) {
        this.repos = repos;
    }

    @Override
    public JobKind kind() {
        return JobKind.CREATE_SHARE;
    }

    @Override
    public UserMessageAction action() {
        return UserMessageAction.CREATE;
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
     * The checks of a share created from {@code backup} (null: not found) in Manila's order; {@code size} null means
     * the backup's size.
     */
    public Verdict fromBackup(Policies policies, RequestContext caller, String backupId, Backup backup,
                              Integer size) {
        List<Refusal> refusals = new ArrayList<>(Checks.present(
                Checks.policy(policies, Policy.BACKUP_RESTORE, caller), Checks.backupOf(caller, backupId, backup)));
        if (backup != null) {
            Checks.backupAvailable(backup).ifPresent(refusals::add);
            if (size != null && size < backup.size()) {
                refusals.add(Refusal.invalid("Invalid share: Share size " + size + " is too small to restore backup "
                        + "of size " + backup.size() + ". Leave 'size' out to get the backup's size."));
            }
        }
        return new Verdict(refusals);
    }

    /**
     * The new {@code share} (creating), {@code backup} (null: an empty share) → restoring, a queued job and its cast
     * in the outbox. Returns the job.
     */
    public Job enqueue(Connection c, CastOutbox outbox, Share share, Backup backup, RequestContext caller)
            throws SQLException {
        if (backup != null && !repos.backups().startRestore(c, backup.id())) {
            throw Checks.backupNotAvailable(backup.id());
        }
        Job job = Job.queued(UUID.randomUUID().toString(), kind(), backup == null ? null : backup.id(), share.id(),
                caller.requestId(), Timestamps.now(repos.clock()));
        repos.shares().insert(c, share);
        repos.jobs().insert(c, job);
        outbox.add(c, DataRpc.TOPIC, DataRpc.createShare(share.id(), backup == null ? null : backup.toRow(), caller));
        return job;
    }

    @Override
    public Held adopt(Connection c, ForeignCast cast) {
        throw Checks.onlyFromApi(kind().wireName(), cast.shareId());
    }

    /** The share as {@code target}; from a backup, the backup and its own share as {@code source}. */
    @Override
    public StateRpc.Grant grant(Connection c, Job job, int leaseSeconds) throws SQLException {
        ShareInfo target = repos.shares().find(c, job.shareId()).map(Share::info)
                .orElseThrow(() -> Refusal.invalid("Share " + job.shareId() + " could not be found."));
        if (job.backupId() == null) {
            return new StateRpc.Grant(job.id(), job.epoch(), job.kind(), null, null, target, leaseSeconds);
        }
        Backup backup = repos.backups().find(c, job.backupId())
                .orElseThrow(() -> Refusal.invalid("backup " + job.backupId() + " does not exist"));
        ShareInfo source = repos.shares().find(c, backup.shareId()).map(Share::info).orElse(null);
        return new StateRpc.Grant(job.id(), job.epoch(), job.kind(), backup.toRow(), source, target, leaseSeconds);
    }

    /** The share's progress (while it is creating), and from a backup the backup's restore_progress. */
    @Override
    public boolean progress(Connection c, Job job, int percent) throws SQLException {
        repos.shares().recordCreationProgress(c, job.shareId(), percent);
        return job.backupId() == null
                || BackupProgress.record(repos, c, job, percent, BackupStatus.RESTORING, ProgressField.RESTORE_PROGRESS);
    }

    @Override
    public void succeed(Connection c, Job job, String node) throws SQLException {
        repos.shares().recordCreationProgress(c, job.shareId(), 100);
        if (job.backupId() != null) {
            Checks.expect(repos.backups().finishRestore(c, job.backupId()), "backup", job.backupId(), "restoring");
        }
        Checks.expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.CREATING, ShareStatus.AVAILABLE),
                "share", job.shareId(), "creating");
        LOG.info("job {}: share {} created{}", job.id(), job.shareId(),
                job.backupId() == null ? "" : " from backup " + job.backupId());
    }

    /** On the new share (a share created from a backup restores it). */
    @Override
    public Notice successNotice(Connection c, Job job) throws SQLException {
        Notice notice = onShare(c, job);
        return notice.projectId() == null ? null : notice;
    }

    @Override
    public Notice fail(Connection c, Job job, FailureDetail detail, String reason, boolean targetTouched)
            throws SQLException {
        if (job.backupId() != null) {
            Checks.expect(repos.backups().abandonRestore(c, job.backupId()), "backup", job.backupId(), "restoring");
        }
        Checks.expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.CREATING, ShareStatus.ERROR), "share",
                job.shareId(), "creating");
        LOG.warn("job {}: {} of share {} failed ({}: {}); share is now {}", job.id(), kind().wireName(), job.shareId(),
                detail.id(), reason, ShareStatus.ERROR.wire());
        return onShare(c, job);
    }

    @Override
    public Notice cancel(Connection c, Job job, boolean mayHaveWritten, String reason) throws SQLException {
        if (job.backupId() != null) {
            Checks.expectQuietly(repos.backups().abandonRestore(c, job.backupId()), "backup", job.backupId(),
                    "restoring");
        }
        Checks.expectQuietly(repos.shares().changeStatus(c, job.shareId(), ShareStatus.CREATING, ShareStatus.ERROR),
                "share", job.shareId(), "creating");
        Notice notice = onShare(c, job);
        return notice.projectId() == null ? null : notice;
    }

    private Notice onShare(Connection c, Job job) throws SQLException {
        return new Notice(action(), Notice.SHARE, job.shareId(),
                Checks.projectOf(repos.shares().find(c, job.shareId()).orElse(null)));
    }

    /** In the name of the share's owner; from a backup, only while the backup exists. */
    @Override
    public Optional<RpcRequest> recast(Connection c, Job job) throws SQLException {
        Optional<Backup> backup = job.backupId() == null ? Optional.empty() : repos.backups().find(c, job.backupId());
        if (job.backupId() != null && backup.isEmpty()) {
            return Optional.empty();
        }
        return repos.shares().find(c, job.shareId()).map(s -> DataRpc.createShare(job.shareId(),
                backup.map(Backup::toRow).orElse(null), Checks.ownerContext(repos.clock(), s.userId(), s.projectId(),
                        job)));
    }

    @Override
    public String needs(Job job) {
        return job.backupId() == null ? "share " + job.shareId()
                : "backup " + job.backupId() + " or share " + job.shareId();
    }
}
