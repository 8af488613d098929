package dev.ferry.api.service;

import dev.ferry.api.ApiLimits;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.ProjectLockRepository;
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
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v2/share-backups}: Manila's checks in Manila's order (plus Ferry's 403 for another project's share,
 * public or not: only its project or an admin may copy its data out), then one transaction that marks the
 * share {@code backup_creating}, adds the backup ({@code creating}), a queued job and the
 * {@code create_backup} cast in the outbox.
 */
public final class BackupCreationService {
    private static final Logger LOG = LoggerFactory.getLogger(BackupCreationService.class);
    /** Manila's data_manager_backup_supported_share_protocols default. */
    private static final String SUPPORTED_PROTOCOL = "NFS";
    private final Database db;
    private final Repositories repos;
    private final Policies policies;
    private final CastOutbox outbox;
    private final BackupQuota quota;

    /** With Manila's default quotas. */
    public BackupCreationService(Repositories repos, CastOutbox outbox, Policies policies) {
        this(repos, outbox, ApiLimits.DEFAULTS, policies);
    }

    public BackupCreationService(Repositories repos, CastOutbox outbox, ApiLimits limits, Policies policies) {
        this.repos = repos;
        this.policies = policies;
        this.db = repos.database();
        this.outbox = outbox;
        this.quota = new BackupQuota(limits, repos.backups(), new ProjectLockRepository());
    }

    /** The request body's fields; {@code options} are {@code backup_options}, values as given. */
    public record CreateRequest(String shareId, String name, String description, Map<String, String> options) {
    }

    public Backup create(RequestContext caller, CreateRequest request) {
        policies.require(Policy.BACKUP_CREATE, caller);
        String shareId = request.shareId();
        if (shareId == null || shareId.isBlank()) {
            throw ApiError.badRequest("'share_id' is missing from the request body.");
        }
        Share share = db.read(c -> repos.shares().find(c, shareId)).filter(s -> Visibility.canSee(caller, s))
                .orElseThrow(() -> ApiError.badRequest("No share exists with ID " + shareId + "."));
        if (!Visibility.canWrite(caller, share)) {
            throw ApiError.forbidden("Share " + share.id() + " belongs to another project: only its owning project "
                    + "or an admin may back it up. Back up a share of your own project.");
        }
        if (share.status() != ShareStatus.AVAILABLE) {
            throw notAvailable(share.id(), share.status().wire());
        }
        if (!SUPPORTED_PROTOCOL.equals(share.protocol().toUpperCase(Locale.ROOT))) {
            throw ApiError.badRequest("Cannot backup share " + share.id() + ". The generic approach for share backups "
                    + "only supports the following protocols: ['" + SUPPORTED_PROTOCOL + "'].");
        }
        for (String option : request.options().keySet()) {
            if (!option.equals("backup_type")) {
                throw ApiError.badRequest("Backup option '" + option + "' is not supported: Ferry backs up through "
                        + "the data service only, which takes no options but 'backup_type'. Remove it and retry.");
            }
        }
        LocalDateTime now = Timestamps.now(repos.clock());
        Backup backup = new Backup(UUID.randomUUID().toString(), caller.projectId(), caller.userId(), share.id(),
                share.size(), BackupStatus.CREATING, request.name(), request.description(), "0", "0", null,
                request.options().get("backup_type"), null, DataRpc.TOPIC, now, now);
        Job job = Job.queued(UUID.randomUUID().toString(), JobKind.CREATE_BACKUP, backup.id(), share.id(),
                caller.requestId(), now);
        db.read(c -> {
            quota.prepare(c, caller.projectId());
            return null;
        });
        db.inTransaction(c -> {
            if (!repos.shares().changeStatus(c, share.id(), ShareStatus.AVAILABLE, ShareStatus.BACKUP_CREATING)) {
                String current = repos.shares().find(c, share.id()).map(s -> s.status().wire()).orElse("deleted");
                throw notAvailable(share.id(), current);
            }
            quota.reserve(c, caller.projectId(), share.size());
            repos.backups().insert(c, backup);
            repos.jobs().insert(c, job);
            outbox.add(c, DataRpc.TOPIC, DataRpc.createBackup(backup.toRow(), caller));
            return null;
        });
        outbox.committed();
        LOG.info("backup {} of share {} accepted (job {})", backup.id(), share.id(), job.id());
        return backup;
    }

    private static ApiError notAvailable(String shareId, String status) {
        return ApiError.badRequest("Share " + shareId + " is in '" + status
                + "' state, but it must be in 'available' state to create a backup.");
    }
}
