package dev.ferry.api.jobs.kinds;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.service.ManifestRequired;
import dev.ferry.api.service.Policies;
import dev.ferry.api.service.Policy;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code verify_backup}, Ferry's own: a data node reads a backup's repository copy and checks it against the
 * backup's manifest. Admitted by the API when the caller's roles allow {@code share_backup:verify}, the backup is the
 * caller's project's (or the caller an admin), available or restoring, has a manifest and is not being verified
 * already. It changes no status: the backup stays available and may be restored meanwhile. Success leaves an INFO
 * message on the backup ({@link FailureDetail#BACKUP_SOUND}); a failure an ERROR message (with
 * {@link FailureDetail#DAMAGED_FILES}, the count and the first damaged paths). A delete or an admin's reset_status of
 * the backup ends it without a message. A cast that did not come through the API is refused. Its cast (and its recast,
 * {@link dev.ferry.api.jobs.JobRequeue}) goes to {@link DataRpc#VERIFY_TOPIC}, which every data node serves with a slot
 * of its own, so a verification does not wait behind busy job slots.
 */
public final class VerifyKind implements KindRules {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyKind.class);
    private final Repositories repos;

    public VerifyKind(Repositories repos) {
        this.repos = repos;
    }

    @Override
    public JobKind kind() {
        return JobKind.VERIFY_BACKUP;
    }

    @Override
    public UserMessageAction action() {
        return UserMessageAction.VERIFY_BACKUP;
    }

    @Override
    public boolean aboutBackup() {
        return true;
    }

    /** A {@code cancel} ends the backup's restores and creation, not a check that writes nothing. */
    @Override
    public boolean endsWithBackupCancel() {
        return false;
    }

    /** Every check a verification of {@code backup} (null: not found) fails. */
    public Verdict admission(Policies policies, RequestContext caller, String backupId, Backup backup) {
        List<Refusal> refusals = new ArrayList<>(Checks.present(
                Checks.policy(policies, Policy.BACKUP_VERIFY, caller), Checks.backupOf(caller, backupId, backup)));
        if (backup != null) {
            if (backup.status() != BackupStatus.AVAILABLE && backup.status() != BackupStatus.RESTORING) {
                refusals.add(Refusal.invalid("Invalid backup: Backup " + backup.id() + " status must be available "
                        + "to verify it; it is '" + backup.status().wire() + "'."));
            } else if (!backup.hasManifest()) {
                refusals.add(Refusal.invalid(ManifestRequired.message(backup.id())));
            }
        }
        return new Verdict(refusals);
    }

    /** A queued job and its cast in the outbox; refused while the backup is being verified already. */
    public Job enqueue(Connection c, CastOutbox outbox, Backup backup, RequestContext caller) throws SQLException {
        boolean verifying = repos.jobs().activeForBackupForUpdate(c, backup.id()).stream()
                .anyMatch(j -> j.kind() == kind());
        if (verifying) {
            throw Refusal.invalid("Invalid backup: Backup " + backup.id() + " is being verified already; its result "
                    + "will be a user message on the backup (GET /v2/messages?resource_id=" + backup.id() + ").");
        }
        Job job = Job.queued(UUID.randomUUID().toString(), kind(), backup.id(), backup.shareId(), caller.requestId(),
                Timestamps.now(repos.clock()));
        repos.jobs().insert(c, job);
        outbox.add(c, DataRpc.VERIFY_TOPIC, DataRpc.verifyBackup(backup.toRow(), caller));
        return job;
    }

    /** Ferry's verify starts only from its API. */
    @Override
    public Held adopt(Connection c, ForeignCast cast) {
        throw Refusal.invalid("backup " + cast.backupId() + " has no queued verify_backup job: Ferry's verify starts "
                + "only from its API");
    }

    @Override
    public StateRpc.Grant grant(Connection c, Job job, int leaseSeconds) throws SQLException {
        Backup backup = repos.backups().find(c, job.backupId())
                .orElseThrow(() -> Refusal.invalid("backup " + job.backupId() + " does not exist"));
        return new StateRpc.Grant(job.id(), job.epoch(), job.kind(), backup.toRow(), null, null, leaseSeconds);
    }

    /** No progress field: the report only shows the node is alive. */
    @Override
    public boolean progress(Connection c, Job job, int percent) {
        return true;
    }

    @Override
    public void succeed(Connection c, Job job, String node) {
        LOG.info("job {}: backup {} verified, sound", job.id(), job.backupId());
    }

    @Override
    public InfoNotice succeed(Connection c, Job job, StatusRpc.Transition transition) throws SQLException {
        succeed(c, job, transition.node());
        return new InfoNotice(onBackup(c, job, null), FailureDetail.BACKUP_SOUND);
    }

    /** The message names the damaged files (the node's reason) or says why the check could not be made. */
    @Override
    public Notice fail(Connection c, Job job, FailureDetail detail, String reason, boolean targetTouched)
            throws SQLException {
        LOG.warn("job {}: verification of backup {} found a problem ({}: {})", job.id(), job.backupId(), detail.id(),
                reason);
        return onBackup(c, job, detail == FailureDetail.DAMAGED_FILES ? reason : null);
    }

    /** Nothing changed, nothing to say: the backup is being deleted or an admin set its status. */
    @Override
    public Notice cancel(Connection c, Job job, boolean mayHaveWritten, String reason) {
        return null;
    }

    private Notice onBackup(Connection c, Job job, String detailText) throws SQLException {
        return new Notice(action(), Notice.SHARE_BACKUP, job.backupId(),
                repos.backups().find(c, job.backupId()).map(Backup::projectId).orElse(null), detailText);
    }

    @Override
    public Optional<RpcRequest> recast(Connection c, Job job) throws SQLException {
        return repos.backups().find(c, job.backupId())
                .filter(b -> b.status() != BackupStatus.DELETING)
                .map(b -> DataRpc.verifyBackup(b.toRow(), Checks.ownerContext(repos.clock(), b.userId(),
                        b.projectId(), job)));
    }

    @Override
    public String needs(Job job) {
        return "backup " + job.backupId();
    }
}
