package dev.ferry.api.service;

import dev.ferry.api.ServiceSettings;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import java.time.LocalDateTime;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v2/share-backups/{id}/action {"restore": ...}}: Manila's checks in Manila's order (plus
 * Ferry's 403 for another project's public share), then one transaction: backup → restoring, target →
 * backup_restoring, a queued job and the {@code restore_backup} cast in the outbox. While a data node is up, a
 * restore that none of the up nodes' drivers can do is refused first ({@link DataNodeCapabilities}). A lost race answers
 * like the status check it lost.
 */
public final class RestoreService {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreService.class);
    private final Database db;
    private final Repositories repos;
    private final Policies policies;
    private final CastOutbox outbox;
    private final DataNodeCapabilities nodes;

    /** Judging data nodes by the default {@link ServiceSettings}. */
    public RestoreService(Repositories repos, CastOutbox outbox, Policies policies) {
        this(repos, outbox, policies, new DataNodeCapabilities(repos.database(), repos.clock(),
                ServiceSettings.DEFAULTS));
    }

    /** {@code nodes}: a restore no up data node could do is refused when it arrives. */
    public RestoreService(Repositories repos, CastOutbox outbox, Policies policies, DataNodeCapabilities nodes) {
        this.repos = repos;
        this.policies = policies;
        this.db = repos.database();
        this.outbox = outbox;
        this.nodes = nodes;
    }

    /** An accepted restore: what the 202 reports, and the job that will do it. */
    public record Accepted(String backupId, String shareId, String jobId) {
    }

    /** {@code targetShareId} null restores into the backup's own share. */
    public Accepted restore(RequestContext caller, String backupId, String targetShareId) {
        policies.require(Policy.BACKUP_RESTORE, caller);
        Backup backup = db.read(c -> repos.backups().find(c, backupId)).filter(b -> Visibility.canSee(caller, b))
                .orElseThrow(() -> ApiError.notFound("No backup exists with ID " + backupId + "."));
        String shareId = targetShareId == null ? backup.shareId() : targetShareId;
        if (backup.status() != BackupStatus.AVAILABLE) {
            throw backupNotAvailable(backupId);
        }
        Share target = db.read(c -> repos.shares().find(c, shareId)).filter(s -> Visibility.canSee(caller, s))
                .orElseThrow(() -> ApiError.notFound("NotFound: Resource could not be found."));
        if (!Visibility.canWrite(caller, target)) {
            throw ApiError.forbidden("Share " + target.id() + " belongs to another project: only its owning project "
                    + "or an admin may restore a backup into it. Restore into a share of your own project.");
        }
        if (target.status() != ShareStatus.AVAILABLE) {
            throw targetNotAvailable(target.id(), target.status());
        }
        if (backup.size() > target.size()) {
            throw ApiError.badRequest("Invalid share: Share size " + target.size()
                    + " is too small to restore backup of size " + backup.size() + ".");
        }
        String backupProtocol = db.read(c -> repos.shares().find(c, backup.shareId())).map(Share::protocol)
                .orElse(null);
        nodes.requireRestorable(backupProtocol, target.protocol(), !target.id().equals(backup.shareId()),
                backup.shareId());
        LocalDateTime now = Timestamps.now(repos.clock());
        Job job = Job.queued(UUID.randomUUID().toString(), JobKind.RESTORE, backup.id(), target.id(),
                caller.requestId(), now);
        db.inTransaction(c -> {
            if (!repos.backups().startRestore(c, backup.id())) {
                throw backupNotAvailable(backupId);
            }
            if (!repos.shares().startRestore(c, target.id(), backup.id())) {
                throw targetNotAvailable(target.id(), repos.shares().find(c, target.id()).map(Share::status)
                        .orElse(null));
            }
            repos.jobs().insert(c, job);
            outbox.add(c, DataRpc.TOPIC, DataRpc.restoreBackup(backup.toRow(), target.id(), caller));
            return null;
        });
        outbox.committed();
        LOG.info("restore of backup {} into share {} accepted (job {})", backup.id(), target.id(), job.id());
        return new Accepted(backup.id(), target.id(), job.id());
    }

    static ApiError backupNotAvailable(String backupId) {
        return ApiError.badRequest("Invalid backup: Backup " + backupId + " status must be available.");
    }

    /** Manila's message, then the share's status and why it refuses ({@code status} null: it is gone). */
    static ApiError targetNotAvailable(String shareId, ShareStatus status) {
        return ApiError.badRequest("Invalid share: Share to be restored to must be available. Share " + shareId
                + (status == null ? " no longer exists." : " is '" + status.wire() + "'" + status.why() + "."));
    }
}
