package dev.ferry.api.service;

import dev.ferry.api.ApiLimits;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.ProjectLockRepository;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.jobs.kinds.CreateBackupKind;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.jobs.kinds.Refusal;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.Share;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.RequestContext;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v2/share-backups}: Manila's checks in Manila's order (plus Ferry's 403 for another project's share,
 * public or not: only its project or an admin may copy its data out; {@link CreateBackupKind#admission}), then one transaction that marks the
 * share {@code backup_creating}, adds the backup ({@code creating}), a queued job and the
 * {@code create_backup} cast in the outbox.
 */
public final class BackupCreationService {
    private static final Logger LOG = LoggerFactory.getLogger(BackupCreationService.class);
    private final Database db;
    private final Repositories repos;
    private final Policies policies;
    private final CastOutbox outbox;
    private final BackupQuota quota;
    private final CreateBackupKind backups;

    /** With Manila's default quotas. */
    public BackupCreationService(Repositories repos, CastOutbox outbox, Policies policies) {
        this(repos, outbox, ApiLimits.DEFAULTS, policies);
    }

    public BackupCreationService(Repositories repos, CastOutbox outbox, ApiLimits limits, Policies policies) {
        this(repos, outbox, limits, policies, JobKinds.standard(repos));
    }

    /** {@code kinds}: the backup creation's admission and start. */
    public BackupCreationService(Repositories repos, CastOutbox outbox, ApiLimits limits, Policies policies,
                                 JobKinds kinds) {
        this.backups = kinds.createBackup();
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
        try {
            return createChecked(caller, request);
        } catch (Refusal refusal) {
            throw ApiError.of(refusal);
        }
    }

    private Backup createChecked(RequestContext caller, CreateRequest request) {
        String shareId = request.shareId();
        if (policies.allows(Policy.BACKUP_CREATE, caller) && (shareId == null || shareId.isBlank())) {
            throw ApiError.badRequest("'share_id' is missing from the request body.");
        }
        Share share = shareId == null || shareId.isBlank() ? null
                : db.read(c -> repos.shares().find(c, shareId)).orElse(null);
        backups.admission(policies, caller, shareId, share).requireForApi();
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
        db.read(c -> {
            quota.prepare(c, caller.projectId());
            return null;
        });
        Job job = db.inTransaction(c -> {
            backups.start(c, share);
            quota.reserve(c, caller.projectId(), share.size());
            return backups.enqueue(c, outbox, backup, caller);
        });
        outbox.committed();
        LOG.info("backup {} of share {} accepted (job {})", backup.id(), share.id(), job.id());
        return backup;
    }
}
