package dev.ferry.api.service;

import dev.ferry.api.ApiLimits;
import dev.ferry.api.ServiceSettings;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.ProjectLockRepository;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.jobs.kinds.CreateShareKind;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.jobs.kinds.Refusal;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.ShareType;
import dev.ferry.messages.RequestContext;
import java.time.LocalDateTime;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v2/shares} on Ferry's {@code subdir} backend: the share is a new folder named after its id
 * under the base export ({@code FERRY_SHARE_BASE_EXPORT}), made by a data node. One transaction adds the
 * share ({@code creating}), a queued {@code create_share} job and its cast; created from a backup, the
 * backup also goes {@code restoring} and the same job fills the folder, so the share becomes
 * {@code available} only once its content is complete ({@link CreateShareKind}: the backup's checks are a
 * restore's). {@code is_public} true needs
 * {@code share:create_public_share}; the share counts against its project's share quotas ({@link ShareQuota}).
 */
public final class ShareCreationService {
    private static final Logger LOG = LoggerFactory.getLogger(ShareCreationService.class);
    /** The base export is one NFS export; its folders are NFS shares. */
    public static final String PROTOCOL = "NFS";
    private final Database db;
    private final Repositories repos;
    private final CastOutbox outbox;
    private final Policies policies;
    private final String baseExport;
    private final ShareQuota quota;
    private final DataNodeCapabilities nodes;
    private final CreateShareKind shares;
    private final ShareTypeService types;

    /** {@code baseExport} null: Ferry creates no shares (only managed ones exist). With Manila's default quotas. */
    public ShareCreationService(Repositories repos, CastOutbox outbox, String baseExport, Policies policies) {
        this(repos, outbox, baseExport, ApiLimits.DEFAULTS, policies);
    }

    /** {@code limits}: the share quotas ({@link ShareQuota}). */
    public ShareCreationService(Repositories repos, CastOutbox outbox, String baseExport, ApiLimits limits,
                                Policies policies) {
        this(repos, outbox, baseExport, limits, policies, new DataNodeCapabilities(repos.database(), repos.clock(),
                ServiceSettings.DEFAULTS));
    }

    /** {@code nodes}: a share from a backup that no up data node could restore is refused when it arrives. */
    public ShareCreationService(Repositories repos, CastOutbox outbox, String baseExport, ApiLimits limits,
                                Policies policies, DataNodeCapabilities nodes) {
        this(repos, outbox, baseExport, limits, policies, nodes, JobKinds.standard(repos));
    }

    /** {@code kinds}: a share's creation (from a backup: its admission) and start. Without a default share type. */
    public ShareCreationService(Repositories repos, CastOutbox outbox, String baseExport, ApiLimits limits,
                                Policies policies, DataNodeCapabilities nodes, JobKinds kinds) {
        this(repos, outbox, baseExport, limits, policies, nodes, kinds,
                new ShareTypeService(repos.database(), repos.clock(), policies, null));
    }

    /** {@code types}: which share type a new share gets ({@link ShareTypeService#forNewShare}). */
    public ShareCreationService(Repositories repos, CastOutbox outbox, String baseExport, ApiLimits limits,
                                Policies policies, DataNodeCapabilities nodes, JobKinds kinds, ShareTypeService types) {
        this.types = types;
        this.shares = kinds.createShare();
        this.nodes = nodes;
        this.repos = repos;
        this.db = repos.database();
        this.outbox = outbox;
        this.policies = policies;
        this.baseExport = baseExport;
        this.quota = new ShareQuota(limits, repos.shares(), new ProjectLockRepository());
    }

    /**
     * The validated body: {@code size} null means the backup's size; {@code backupId} null, an empty share;
     * {@code shareType} a share type's name or id (null: the default type, if any).
     */
    public record CreateRequest(String protocol, Integer size, String name, String description, boolean isPublic,
                                String backupId, String shareType) {
        /** Of the default share type. */
        public CreateRequest(String protocol, Integer size, String name, String description, boolean isPublic,
                             String backupId) {
            this(protocol, size, name, description, isPublic, backupId, null);
        }
    }

    public Share create(RequestContext caller, CreateRequest request) {
        try {
            return createChecked(caller, request);
        } catch (Refusal refusal) {
            throw ApiError.of(refusal);
        }
    }

    private Share createChecked(RequestContext caller, CreateRequest request) {
        policies.require(Policy.SHARE_CREATE, caller);
        policies.requirePublicShareAllowed(caller, request.isPublic());
        ShareType type = types.forNewShare(caller, request.shareType());
        if (type != null && Boolean.TRUE.equals(ExtraSpecs.bool(type.extraSpecs().getOrDefault(ExtraSpecs.DHSS,
                "False")))) {
            throw ApiError.badRequest("Share network must be set when the driver_handles_share_servers is true. Ferry "
                    + "has no share networks: use a share type whose driver_handles_share_servers is False.");
        }
        if (baseExport == null) {
            throw ApiError.badRequest("This Ferry cannot create shares: the api-gateway has no share backend "
                    + "(set FERRY_SHARE_BASE_EXPORT to the export under which new shares are folders), or register "
                    + "an existing export with POST /v2/shares/manage.");
        }
        if (!PROTOCOL.equalsIgnoreCase(request.protocol())) {
            throw ApiError.badRequest("Invalid share protocol '" + request.protocol() + "': Ferry's subdir backend "
                    + "creates NFS shares only.");
        }
        Backup backup = null;
        if (request.backupId() != null) {
            backup = db.read(c -> repos.backups().find(c, request.backupId())).orElse(null);
            shares.fromBackup(policies, caller, request.backupId(), backup, request.size()).requireForApi();
        }
        int size;
        if (request.size() != null) {
            size = request.size();
        } else if (backup != null) {
            size = backup.size();
        } else {
            throw ApiError.badRequest("Share size is required: give 'size' in GiB as a positive integer.");
        }
        if (type != null) {
            requireSizeAllowed(type, size);
        }
        if (backup != null) {
            String backupShareId = backup.shareId();
            String backupProtocol = db.read(c -> repos.shares().find(c, backupShareId)).map(Share::protocol)
                    .orElse(null);
            nodes.requireRestorable(backupProtocol, PROTOCOL, true, backupShareId);
        }
        LocalDateTime now = Timestamps.now(repos.clock());
        String id = UUID.randomUUID().toString();
        Share share = new Share(id, caller.projectId(), caller.userId(), request.name(), request.description(),
                PROTOCOL, size, ShareStatus.CREATING, exportPathOf(id), request.isPublic(),
                backup == null ? null : backup.id(), now, now, Share.SUBDIR, 0, type == null ? null : type.id(),
                type == null ? null : type.name());
        Backup source = backup;
        db.read(c -> {
            quota.prepare(c, share.projectId());
            return null;
        });
        Job job = db.inTransaction(c -> {
            quota.reserve(c, share.projectId(), 1, share.size());
            return shares.enqueue(c, outbox, share, source, caller);
        });
        outbox.committed();
        LOG.info("share {} ({} GiB{}) accepted at {} (job {})", id, size,
                source == null ? "" : ", from backup " + source.id(), share.exportPath(), job.id());
        return share;
    }

    /** Manila's {@code provision_filter_on_size} on create: the type's minimum and maximum share size. */
    private static void requireSizeAllowed(ShareType type, int size) {
        Integer min = ExtraSpecs.size(type.extraSpecs(), ExtraSpecs.MIN_SIZE);
        if (min != null && size < min) {
            throw ApiError.badRequest("Invalid input received: Specified share size of '" + size + "' is less than "
                    + "the minimum required size of '" + min + "' for share type '" + type.name() + "'.");
        }
        Integer max = ExtraSpecs.size(type.extraSpecs(), ExtraSpecs.MAX_SIZE);
        if (max != null && size > max) {
            throw ApiError.badRequest("Invalid input received: Specified share size of '" + size + "' is greater "
                    + "than the maximum allowable size of '" + max + "' for share type '" + type.name() + "'.");
        }
    }

    /** {@code <base export>/<share id>}: the folder the data node creates, and the share's export location. */
    String exportPathOf(String shareId) {
        return baseExport.endsWith("/") ? baseExport + shareId : baseExport + "/" + shareId;
    }
}
