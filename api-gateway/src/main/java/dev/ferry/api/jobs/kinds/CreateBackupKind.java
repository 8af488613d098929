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
import dev.ferry.messages.StatusRpc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code create_backup}: a share's data copied into a new backup. Admitted by the API when the caller's roles allow
 * {@code share_backup:create} and the share is the caller's to write, available and NFS; it starts with the share
 * {@code backup_creating} and the backup {@code creating}. A cast that did not come through the API is adopted only
 * for a backup the API left creating, of the caller's project, with no job yet. Success leaves the backup available
 * (its host recorded) and the share available; a failure or cancel the backup {@code error} (its node removes the
 * partial copy) and the share available, with the message on the backup.
 */
public final class CreateBackupKind implements KindRules {
    private static final Logger LOG = LoggerFactory.getLogger(CreateBackupKind.class);
    /** Manila's data_manager_backup_supported_share_protocols default. */
    private static final String SUPPORTED_PROTOCOL = "NFS";
    private final Repositories repos;

    public CreateBackupKind(Repositories repos) {
        this.repos = repos;
    }

    @Override
    public JobKind kind() {
        return JobKind.CREATE_BACKUP;
    }

    @Override
    public UserMessageAction action() {
        return UserMessageAction.CREATE_BACKUP;
    }

    @Override
    public boolean aboutBackup() {
        return true;
    }

    @Override
    public boolean endsWithBackupCancel() {
        return true;
    }

    /** Every check a backup of {@code share} (null: not found) fails, in Manila's order, plus Ferry's 403. */
    public Verdict admission(Policies policies, RequestContext caller, String shareId, Share share) {
        List<Refusal> refusals = new ArrayList<>(Checks.present(
                Checks.policy(policies, Policy.BACKUP_CREATE, caller), access(caller, shareId, share)));
        if (share != null) {
            if (share.status() != ShareStatus.AVAILABLE) {
                refusals.add(notAvailable(share.id(), share.status().wire()));
            }
            if (!SUPPORTED_PROTOCOL.equals(share.protocol().toUpperCase(Locale.ROOT))) {
                refusals.add(Refusal.invalid("Cannot backup share " + share.id() + ". The generic approach for share "
                        + "backups only supports the following protocols: ['" + SUPPORTED_PROTOCOL + "']."));
            }
        }
        return new Verdict(refusals);
    }

    /** Only the share's project (or an admin) may copy its data out, public or not. */
    private static Optional<Refusal> access(RequestContext caller, String shareId, Share share) {
        return Checks.writableShare(caller, shareId, share, 400, "No share exists with ID " + shareId + ".",
                "Share " + shareId + " belongs to another project: only its owning project or an admin may back it "
                        + "up. Back up a share of your own project.");
    }

    private static Refusal notAvailable(String shareId, String status) {
        return Refusal.invalid("Share " + shareId + " is in '" + status
                + "' state, but it must be in 'available' state to create a backup.");
    }

    /** The share → backup_creating; a lost race is refused like the status check it lost. */
    public void start(Connection c, Share share) throws SQLException {
        if (!repos.shares().changeStatus(c, share.id(), ShareStatus.AVAILABLE, ShareStatus.BACKUP_CREATING)) {
            throw notAvailable(share.id(), repos.shares().find(c, share.id()).map(s -> s.status().wire())
                    .orElse("deleted"));
        }
    }

    /** The new {@code backup} (creating), a queued job and its cast in the outbox. Returns the job. */
    public Job enqueue(Connection c, CastOutbox outbox, Backup backup, RequestContext caller) throws SQLException {
        Job job = Job.queued(UUID.randomUUID().toString(), kind(), backup.id(), backup.shareId(), caller.requestId(),
                Timestamps.now(repos.clock()));
        repos.backups().insert(c, backup);
        repos.jobs().insert(c, job);
        outbox.add(c, DataRpc.TOPIC, DataRpc.createBackup(backup.toRow(), caller));
        return job;
    }

    /** Only a backup Ferry's API left creating, whose share is backup_creating, and that has no job yet. */
    @Override
    public Held adopt(Connection c, ForeignCast cast) throws SQLException {
        Backup backup = repos.backups().find(c, cast.backupId()).orElse(null);
        String shareId = backup == null ? cast.shareId() : backup.shareId();
        Share share = backup == null ? null : repos.shares().find(c, shareId).orElse(null);
        List<Refusal> refusals = new ArrayList<>(Checks.present(
                Checks.policy(cast.policies(), Policy.BACKUP_CREATE, cast.caller()),
                Checks.backupOf(cast.caller(), cast.backupId(), backup)));
        if (backup != null) {
            access(cast.caller(), shareId, share).ifPresent(refusals::add);
            if (backup.status() != BackupStatus.CREATING) {
                refusals.add(Refusal.invalid("backup " + backup.id() + " is " + backup.status().wire()
                        + ", not creating"));
            }
            if (share != null && share.status() != ShareStatus.BACKUP_CREATING) {
                refusals.add(Refusal.invalid("share " + share.id() + " is " + share.status().wire()
                        + ", not backup_creating"));
            }
            if (!repos.jobs().forBackup(c, kind(), backup.id()).isEmpty()) {
                refusals.add(Refusal.invalid("backup " + backup.id() + " already has a create_backup job"));
            }
        }
        new Verdict(refusals).requireForCast(cast.caller(), "back up share " + shareId + " into backup "
                + cast.backupId(), () -> new Notice(action(), Notice.SHARE_BACKUP, backup.id(), backup.projectId()));
        return new Held(backup.id(), share.id());
    }

    @Override
    public StateRpc.Grant grant(Connection c, Job job, int leaseSeconds) throws SQLException {
        Backup backup = repos.backups().find(c, job.backupId())
                .orElseThrow(() -> Refusal.invalid("backup " + job.backupId() + " does not exist"));
        ShareInfo source = repos.shares().find(c, job.shareId()).map(Share::info)
                .orElseThrow(() -> Refusal.invalid("Share " + job.shareId() + " could not be found."));
        return new StateRpc.Grant(job.id(), job.epoch(), job.kind(), backup.toRow(), source, null, leaseSeconds);
    }

    @Override
    public boolean progress(Connection c, Job job, int percent) throws SQLException {
        return BackupProgress.record(repos, c, job, percent, BackupStatus.CREATING, ProgressField.PROGRESS);
    }

    @Override
    public void succeed(Connection c, Job job, String node) throws SQLException {
        succeed(c, job, node, false);
    }

    /** Records whether the node wrote the backup's manifest ({@code manifest_written}). */
    @Override
    public InfoNotice succeed(Connection c, Job job, StatusRpc.Transition transition) throws SQLException {
        succeed(c, job, transition.node(), transition.manifestWritten());
        return null;
    }

    private void succeed(Connection c, Job job, String node, boolean manifestWritten) throws SQLException {
        Checks.expect(repos.backups().finishCreate(c, job.backupId(), node != null ? node : job.node(),
                manifestWritten), "backup", job.backupId(), "creating");
        Checks.expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_CREATING,
                ShareStatus.AVAILABLE), "share", job.shareId(), "backup_creating");
        LOG.info("job {}: backup {} of share {} created", job.id(), job.backupId(), job.shareId());
    }

    @Override
    public Notice fail(Connection c, Job job, FailureDetail detail, String reason, boolean targetTouched)
            throws SQLException {
        Checks.expect(repos.backups().failCreate(c, job.backupId(), reason), "backup", job.backupId(), "creating");
        Checks.expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_CREATING,
                ShareStatus.AVAILABLE), "share", job.shareId(), "backup_creating");
        LOG.warn("job {}: backup {} of share {} failed ({}: {})", job.id(), job.backupId(), job.shareId(),
                detail.id(), reason);
        return onBackup(c, job);
    }

    @Override
    public Notice cancel(Connection c, Job job, boolean mayHaveWritten, String reason) throws SQLException {
        Checks.expectQuietly(repos.backups().failCreate(c, job.backupId(), reason), "backup", job.backupId(),
                "creating");
        Checks.expectQuietly(repos.shares().changeStatus(c, job.shareId(), ShareStatus.BACKUP_CREATING,
                ShareStatus.AVAILABLE), "share", job.shareId(), "backup_creating");
        Notice notice = onBackup(c, job);
        return notice.projectId() == null ? null : notice;
    }

    private Notice onBackup(Connection c, Job job) throws SQLException {
        return new Notice(action(), Notice.SHARE_BACKUP, job.backupId(),
                repos.backups().find(c, job.backupId()).map(Backup::projectId).orElse(null));
    }

    @Override
    public Optional<RpcRequest> recast(Connection c, Job job) throws SQLException {
        return repos.backups().find(c, job.backupId()).map(b -> DataRpc.createBackup(b.toRow(),
                Checks.ownerContext(repos.clock(), b.userId(), b.projectId(), job)));
    }

    @Override
    public String needs(Job job) {
        return "backup " + job.backupId();
    }
}
