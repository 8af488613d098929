package dev.ferry.api.jobs.kinds;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.service.Policies;
import dev.ferry.api.service.Policy;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcRequest;
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
 * {@code delete_backup}: a backup's copy removed from the repository. Admitted by the API when the caller's roles
 * allow {@code share_backup:delete} and the backup is the caller's project's, available or error; it starts with the
 * backup {@code deleting}. A cast that did not come through the API is adopted only for a backup that is deleting.
 * Success soft-deletes the backup; a failure leaves it {@code error_deleting}, with the message on the backup; a
 * fence (an admin's reset_status) changes nothing.
 */
public final class DeleteBackupKind implements KindRules {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteBackupKind.class);
    private final Repositories repos;

    public DeleteBackupKind(Repositories repos) {
        this.repos = repos;
    }

    @Override
    public JobKind kind() {
        return JobKind.DELETE_BACKUP;
    }

    @Override
    public UserMessageAction action() {
        return UserMessageAction.DELETE_BACKUP;
    }

    @Override
    public boolean aboutBackup() {
        return true;
    }

    @Override
    public boolean endsWithBackupCancel() {
        return false;
    }

    /** Every check a deletion of {@code backup} (null: not found) fails, in Manila's order. */
    public Verdict admission(Policies policies, RequestContext caller, String backupId, Backup backup) {
        List<Refusal> refusals = new ArrayList<>(Checks.present(
                Checks.policy(policies, Policy.BACKUP_DELETE, caller), Checks.backupOf(caller, backupId, backup)));
        if (backup != null && backup.status() != BackupStatus.AVAILABLE && backup.status() != BackupStatus.ERROR) {
            refusals.add(notDeletable(backupId));
        }
        return new Verdict(refusals);
    }

    private static Refusal notDeletable(String backupId) {
        return Refusal.invalid("Invalid backup: Backup " + backupId + " status must be available or error.");
    }

    /**
     * The backup → deleting (a lost race is refused like the status check it lost), a queued job and its cast in
     * the outbox. Returns the job.
     */
    public Job enqueue(Connection c, CastOutbox outbox, Backup backup, RequestContext caller) throws SQLException {
        if (!repos.backups().startDelete(c, backup.id())) {
            throw notDeletable(backup.id());
        }
        Job job = Job.queued(UUID.randomUUID().toString(), kind(), backup.id(), backup.shareId(), caller.requestId(),
                Timestamps.now(repos.clock()));
        repos.jobs().insert(c, job);
        Backup deleting = repos.backups().find(c, backup.id()).orElseThrow();
        outbox.add(c, DataRpc.TOPIC, DataRpc.deleteBackup(deleting.toRow(), caller));
        return job;
    }

    /** Only a backup that is deleting (a real Manila client set it so and cast). */
    @Override
    public Held adopt(Connection c, ForeignCast cast) throws SQLException {
        Backup backup = repos.backups().find(c, cast.backupId()).orElse(null);
        List<Refusal> refusals = new ArrayList<>(Checks.present(
                Checks.policy(cast.policies(), Policy.BACKUP_DELETE, cast.caller()),
                Checks.backupOf(cast.caller(), cast.backupId(), backup)));
        if (backup != null && backup.status() != BackupStatus.DELETING) {
            refusals.add(Refusal.invalid("backup " + backup.id() + " is " + backup.status().wire() + ", not deleting"));
        }
        new Verdict(refusals).requireForCast(cast.caller(), "delete backup " + cast.backupId(),
                () -> new Notice(action(), Notice.SHARE_BACKUP, backup.id(), backup.projectId()));
        return new Held(backup.id(), backup.shareId());
    }

    /** Deleting needs no share: the backup's own share is passed along when it still exists. */
    @Override
    public StateRpc.Grant grant(Connection c, Job job, int leaseSeconds) throws SQLException {
        Backup backup = repos.backups().find(c, job.backupId())
                .orElseThrow(() -> Refusal.invalid("backup " + job.backupId() + " does not exist"));
        return new StateRpc.Grant(job.id(), job.epoch(), job.kind(), backup.toRow(),
                repos.shares().find(c, backup.shareId()).map(Share::info).orElse(null), null, leaseSeconds);
    }

    /** No progress field: the report only shows the node is alive. */
    @Override
    public boolean progress(Connection c, Job job, int percent) {
        return true;
    }

    @Override
    public void succeed(Connection c, Job job, String node) throws SQLException {
        Checks.expect(repos.backups().finishDelete(c, job.backupId()), "backup", job.backupId(), "deleting");
        LOG.info("job {}: backup {} deleted", job.id(), job.backupId());
    }

    @Override
    public Notice fail(Connection c, Job job, FailureDetail detail, String reason, boolean targetTouched)
            throws SQLException {
        Checks.expect(repos.backups().failDelete(c, job.backupId()), "backup", job.backupId(), "deleting");
        LOG.warn("job {}: deletion of backup {} failed ({}: {}); backup is now error_deleting", job.id(),
                job.backupId(), detail.id(), reason);
        return new Notice(action(), Notice.SHARE_BACKUP, job.backupId(),
                repos.backups().find(c, job.backupId()).map(Backup::projectId).orElse(null));
    }

    @Override
    public Notice cancel(Connection c, Job job, boolean mayHaveWritten, String reason) {
        return null;
    }

    @Override
    public Optional<RpcRequest> recast(Connection c, Job job) throws SQLException {
        return repos.backups().find(c, job.backupId()).map(b -> DataRpc.deleteBackup(b.toRow(),
                Checks.ownerContext(repos.clock(), b.userId(), b.projectId(), job)));
    }

    @Override
    public String needs(Job job) {
        return "backup " + job.backupId();
    }
}
