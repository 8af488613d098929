package dev.ferry.api.service;

import dev.ferry.api.ApiLimits;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.Page;
import dev.ferry.api.db.ProjectLockRepository;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.ShareRepository;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.ShareType;
import dev.ferry.messages.RequestContext;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares: managing (registering) existing exports, showing and listing them. Manage requests take turns on
 * one lock row ({@link #MANAGE_LOCK} in {@code project_locks}), so two of them cannot both register exports
 * that overlap.
 */
public final class ShareService {
    private static final Logger LOG = LoggerFactory.getLogger(ShareService.class);
    /**
     * The {@code project_locks} row that serialises manage requests (a project of that name, possible only in noauth
     * mode, would merely share its turns).
     */
    static final String MANAGE_LOCK = "ferry:manage-exports";
    private final Database db;
    private final ShareRepository shares;
    private final Repositories repos;
    private final Policies policies;
    private final ManagedExportCheck exports;
    private final ProjectLockRepository locks = new ProjectLockRepository();
    private final ShareQuota quota;
    private final ShareTypeService types;

    /** Managed exports are compared with other shares' only ({@link ManagedExportCheck#againstSharesOnly}). */
    public ShareService(Repositories repos, Policies policies) {
        this(repos, policies, ManagedExportCheck.againstSharesOnly(repos.shares()));
    }

    /** With Manila's default share quotas. */
    public ShareService(Repositories repos, Policies policies, ManagedExportCheck exports) {
        this(repos, policies, exports, ApiLimits.DEFAULTS);
    }

    /** {@code limits}: the share quotas a managed share counts against ({@link ShareQuota}). No default share type. */
    public ShareService(Repositories repos, Policies policies, ManagedExportCheck exports, ApiLimits limits) {
        this(repos, policies, exports, limits, new ShareTypeService(repos.database(), repos.clock(), policies, null));
    }

    /** {@code types}: the share type a managed share gets ({@link ShareTypeService#forNewShare}). */
    public ShareService(Repositories repos, Policies policies, ManagedExportCheck exports, ApiLimits limits,
                        ShareTypeService types) {
        this.types = types;
        this.quota = new ShareQuota(limits, repos.shares(), locks);
        this.repos = repos;
        this.policies = policies;
        this.db = repos.database();
        this.shares = repos.shares();
        this.exports = exports;
    }

    /**
     * What {@code POST /v2/shares/manage} asks for, already validated; {@code shareType} a type's name or id (null:
     * the default type, if any).
     */
    public record ManageRequest(String protocol, String exportPath, String name, String description, boolean isPublic,
                                int size, String projectId, String shareType) {
        /** Of the default share type. */
        public ManageRequest(String protocol, String exportPath, String name, String description, boolean isPublic,
                             int size, String projectId) {
            this(protocol, exportPath, name, description, isPublic, size, projectId, null);
        }
    }

    /** What a share list asks for. */
    public record ListQuery(boolean allTenants, boolean includePublic, boolean softDeletedOnly, String name,
                            String status, String sourceBackupId, String projectId) {
    }

    /**
     * Sorting and paging of a share list: {@code sortKey} a key of {@link ShareRepository#SORT_KEYS}, {@code limit}
     * the page size, {@code offset} rows to skip (null: none), {@code marker} the id of the last share of the
     * previous page (null: from the start).
     */
    public record PageQuery(String sortKey, boolean ascending, int limit, Integer offset, String marker) {
    }

    /**
     * 400 when the export path is malformed or overlaps another share's, the base export or the backup repository;
     * 413 when the share would exceed its project's share quotas (the lock order is manage lock, then project).
     */
    public Share manage(RequestContext caller, ManageRequest request) {
        policies.require(Policy.SHARE_MANAGE, caller);
        policies.requirePublicShareAllowed(caller, request.isPublic());
        ShareType type = types.forNewShare(caller, request.shareType());
        ExportPath export = exports.parse(request.exportPath());
        LocalDateTime now = Timestamps.now(repos.clock());
        Share share = new Share(UUID.randomUUID().toString(),
                request.projectId() == null ? caller.projectId() : request.projectId(), caller.userId(),
                request.name(), request.description(), request.protocol(), request.size(), ShareStatus.AVAILABLE,
                request.exportPath(), request.isPublic(), null, now, now, Share.MANAGED, null,
                type == null ? null : type.id(), type == null ? null : type.name());
        db.read(c -> {
            locks.ensure(c, MANAGE_LOCK);
            quota.prepare(c, share.projectId());
            return null;
        });
        db.inTransaction(c -> {
            if (!locks.lock(c, MANAGE_LOCK)) {
                throw new IllegalStateException("the lock row " + MANAGE_LOCK + " is missing");
            }
            exports.refuseOverlaps(c, caller, export);
            quota.reserve(c, share.projectId(), 1, share.size());
            shares.insert(c, share);
            return null;
        });
        LOG.info("managed share {} ({} {} GiB at {}) for project {}", share.id(), share.protocol(), share.size(),
                share.exportPath(), share.projectId());
        return share;
    }

    /** The share, or 404 when it does not exist or the caller may not see it. */
    public Share get(RequestContext caller, String id) {
        policies.require(Policy.SHARE_GET, caller);
        return db.read(c -> shares.find(c, id)).filter(s -> Visibility.canSee(caller, s))
                .orElseThrow(() -> ApiError.notFound("Share " + id + " could not be found."));
    }

    public List<Share> list(RequestContext caller, ListQuery query) {
        policies.require(Policy.SHARE_GET_ALL, caller);
        if (query.softDeletedOnly()) {
            return List.of(); // Ferry never soft-deletes; the client asks separately for those
        }
        ShareRepository.Filter filter = filter(caller, query);
        return db.read(c -> shares.list(c, filter));
    }

    /**
     * One page of the shares the caller may list; 400 when the marker is not a share the caller may see.
     */
    public Paged<Share> list(RequestContext caller, ListQuery query, PageQuery paging) {
        policies.require(Policy.SHARE_GET_ALL, caller);
        if (query.softDeletedOnly()) {
            return new Paged<>(List.of(), false); // Ferry never soft-deletes; the client asks separately for those
        }
        Share after = null;
        if (paging.marker() != null) {
            after = db.read(c -> shares.find(c, paging.marker())).filter(s -> Visibility.canSee(caller, s))
                    .orElseThrow(() -> ApiError.badRequest("Marker " + paging.marker() + " not found: give the ID of "
                            + "the last share of the previous page, or leave 'marker' out."));
        }
        ShareRepository.Filter filter = filter(caller, query);
        Page page = new Page(ShareRepository.SORT_KEYS.get(paging.sortKey()), paging.ascending(),
                Paged.fetchSize(paging.limit()), paging.offset());
        Share marker = after;
        return Paged.cut(db.read(c -> shares.list(c, filter, page, marker)), paging.limit());
    }

    private static ShareRepository.Filter filter(RequestContext caller, ListQuery query) {
        String project;
        boolean includePublic = query.includePublic();
        if (caller.isAdmin() && query.allTenants()) {
            project = query.projectId();
            includePublic = false;
        } else {
            project = caller.projectId();
        }
        return new ShareRepository.Filter(project, includePublic, query.name(), query.status(),
                query.sourceBackupId());
    }
}
