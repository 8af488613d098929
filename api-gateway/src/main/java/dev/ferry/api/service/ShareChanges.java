package dev.ferry.api.service;

import dev.ferry.api.ApiLimits;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.ProjectLockRepository;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.ShareTypeRepository;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.ShareType;
import dev.ferry.messages.RequestContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to an existing share: delete, unmanage, extend, shrink, and an admin's reset_status, with
 * Manila's checks and messages. A managed share is only a record, so its changes are immediate; a
 * {@code subdir} share's folder is Ferry's, so deleting it and shrinking it go through a data node
 * ({@code deleting}, {@code shrinking}). Every status change is conditional, so a share that a restore
 * or backup has just taken refuses the change instead of racing it.
 */
public final class ShareChanges {
    private static final Logger LOG = LoggerFactory.getLogger(ShareChanges.class);
    /** Manila's share.API.delete statuses ({@code inactive} is a replica status Ferry never uses). */
    private static final Set<ShareStatus> DELETABLE = Set.of(ShareStatus.AVAILABLE, ShareStatus.ERROR);
    private final Database db;
    private final Repositories repos;
    private final CastOutbox outbox;
    private final Policies policies;
    private final ShareQuota quota;
    private final JobStop stop;
    private final ShareTypeRepository types;

    /** With Manila's default share quotas. */
    public ShareChanges(Repositories repos, CastOutbox outbox, Policies policies) {
        this(repos, outbox, ApiLimits.DEFAULTS, policies);
    }

    /** {@code limits}: the share quotas an extend counts against ({@link ShareQuota}). */
    public ShareChanges(Repositories repos, CastOutbox outbox, ApiLimits limits, Policies policies) {
        this(repos, outbox, limits, policies, JobStop.withDefaultMessageTtl(repos));
    }

    /** {@code stop}: ends the jobs that hold a share before an admin's reset_status or a delete changes it. */
    public ShareChanges(Repositories repos, CastOutbox outbox, ApiLimits limits, Policies policies, JobStop stop) {
        this.stop = stop;
        this.types = new ShareTypeRepository(repos.clock());
        this.quota = new ShareQuota(limits, repos.shares(), new ProjectLockRepository());
        this.repos = repos;
        this.db = repos.database();
        this.outbox = outbox;
        this.policies = policies;
    }

    public void delete(RequestContext caller, String shareId) {
        policies.require(Policy.SHARE_DELETE, caller);
        Share share = writable(caller, shareId);
        db.inTransaction(c -> {
            Share now = current(c, share.id());
            if (!DELETABLE.contains(now.status())) {
                throw ApiError.badRequest("Invalid share: Share status must be one of ('available', 'error'), but "
                        + "share " + now.id() + " is '" + now.status().wire() + "'" + now.status().why() + ".");
            }
            int backups = repos.backups().countOfShare(c, now.id());
            if (backups > 0) {
                throw ApiError.badRequest("Invalid share: Share still has " + backups + " dependent backups. Delete "
                        + "them first.");
            }
            // a job left holding a share an admin reset is ended before the share goes
            stop.endHolders(c, null, now.id(), JobStop.Why.fence(caller, "deleted share " + now.id()));
            if (!now.isSubdir()) {
                requireChanged(repos.shares().remove(c, now.id(), now.status()), now);
                return null;
            }
            requireChanged(repos.shares().changeStatus(c, now.id(), now.status(), ShareStatus.DELETING), now);
            stop.kinds().deleteShare().enqueue(c, outbox, now.id(), caller);
            return null;
        });
        outbox.committed();
        LOG.info("share {} {}", share.id(), share.isSubdir() ? "is being deleted (its folder by a data node)"
                : "deleted (a managed share: its export is left as it is)");
    }

    /** Forgets a share; its data stays where it is. Admin only, as in Manila. */
    public void unmanage(RequestContext caller, String shareId) {
        policies.require(Policy.SHARE_UNMANAGE, caller);
        Share share = visible(caller, shareId);
        db.inTransaction(c -> {
            Share now = current(c, share.id());
            if (!DELETABLE.contains(now.status())) {
                throw ApiError.forbidden("Share with transitional state can not be unmanaged. Share '" + now.id()
                        + "' is in '" + now.status().wire() + "' state" + now.status().why() + ".");
            }
            int backups = repos.backups().countOfShare(c, now.id());
            if (backups > 0) {
                throw ApiError.forbidden("Share " + now.id() + " has " + backups + " backups: it cannot be unmanaged "
                        + "until they are deleted.");
            }
            requireChanged(repos.shares().remove(c, now.id(), now.status()), now);
            return null;
        });
        LOG.info("share {} unmanaged; its data at {} is left as it is", share.id(), share.exportPath());
    }

    /**
     * Records a larger size at once: neither backend enforces sizes, so nothing else has to change. The added GiB
     * count against the owning project's gigabytes quota (413 beyond it).
     */
    public void extend(RequestContext caller, String shareId, int newSize) {
        policies.require(Policy.SHARE_EXTEND, caller);
        Share share = writable(caller, shareId);
        db.read(c -> {
            quota.prepare(c, share.projectId());
            return null;
        });
        db.inTransaction(c -> {
            quota.lock(c, share.projectId());
            Share now = current(c, share.id());
            if (now.status() != ShareStatus.AVAILABLE) {
                throw ApiError.badRequest("Invalid share: Share " + now.id() + " status must be 'available' to "
                        + "extend, but current status is: " + now.status().wire() + now.status().why() + ".");
            }
            if (newSize <= now.size()) {
                throw ApiError.badRequest("New size for extend must be greater than current size. (current: "
                        + now.size() + ", extended: " + newSize + ").");
            }
            ShareTypeSizes.onExtend(typeOf(c, now), newSize, policies.allows(Policy.SHARE_EXTEND_BEYOND_MAX, caller));
            quota.check(c, now.projectId(), 0, (long) newSize - now.size());
            requireChanged(repos.shares().resize(c, now.id(), ShareStatus.AVAILABLE, newSize), now);
            return null;
        });
        LOG.info("share {} extended to {} GiB", share.id(), newSize);
    }

    /**
     * A managed share's smaller size is recorded at once (Ferry cannot see its data); a {@code subdir} share
     * is {@code shrinking} until a data node has checked that its used space fits the new size.
     */
    public void shrink(RequestContext caller, String shareId, int newSize) {
        policies.require(Policy.SHARE_SHRINK, caller);
        Share share = writable(caller, shareId);
        db.inTransaction(c -> {
            Share now = current(c, share.id());
            if (now.status() != ShareStatus.AVAILABLE) {
                throw ApiError.badRequest("Invalid share: Share " + now.id() + " status must be 'available' to "
                        + "shrink, but current status is: " + now.status().wire() + now.status().why() + ".");
            }
            if (newSize <= 0 || newSize >= now.size()) {
                throw ApiError.badRequest("New size for shrink must be less than current size and greater than 0 "
                        + "(current: " + now.size() + ", new: " + newSize + ").");
            }
            ShareTypeSizes.onShrink(typeOf(c, now), newSize);
            if (!now.isSubdir()) {
                requireChanged(repos.shares().resize(c, now.id(), ShareStatus.AVAILABLE, newSize), now);
                return null;
            }
            requireChanged(repos.shares().changeStatus(c, now.id(), ShareStatus.AVAILABLE, ShareStatus.SHRINKING), now);
            stop.kinds().shrinkShare().enqueue(c, outbox, now.id(), newSize, caller);
            return null;
        });
        outbox.committed();
        LOG.info("share {} {} {} GiB", share.id(), share.isSubdir() ? "is shrinking to" : "shrunk to", newSize);
    }

    /**
     * An admin sets any status, as Manila's {@code reset_status} does; the caller owns the consequences. Jobs that
     * hold the share are ended first, in the same transaction: their outcome cannot overwrite the admin's status.
     */
    public void resetStatus(RequestContext caller, String shareId, String status) {
        policies.require(Policy.SHARE_RESET_STATUS, caller);
        if (status == null || status.isBlank()) {
            throw ApiError.badRequest("Must specify 'status'");
        }
        ShareStatus to;
        try {
            to = ShareStatus.fromWire(status.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("Invalid status '" + status + "': use one of " + List.of(ShareStatus.values())
                    .stream().map(ShareStatus::wire).toList() + ".");
        }
        Share share = visible(caller, shareId);
        JobStop.Why why = JobStop.Why.fence(caller, "reset the status of share " + share.id() + " to " + to.wire());
        db.inTransaction(c -> {
            stop.endHolders(c, null, share.id(), why);
            return repos.shares().resetStatus(c, share.id(), to);
        });
        LOG.warn("share {} reset from {} to {} by {}", share.id(), share.status().wire(), to.wire(), caller.userId());
    }

    private Share visible(RequestContext caller, String shareId) {
        return db.read(c -> repos.shares().find(c, shareId)).filter(s -> Visibility.canSee(caller, s))
                .orElseThrow(() -> ApiError.notFound("Share " + shareId + " could not be found."));
    }

    /** Another project's public share is visible but not the caller's to change: 403. */
    private Share writable(RequestContext caller, String shareId) {
        Share share = visible(caller, shareId);
        if (!Visibility.canWrite(caller, share)) {
            throw ApiError.forbidden("Share " + share.id() + " belongs to another project: only its owning project "
                    + "or an admin may change it.");
        }
        return share;
    }

    /** The share's type, as an admin sees it; null for a share without one. */
    private ShareType typeOf(Connection c, Share share) throws SQLException {
        return share.shareTypeId() == null ? null
                : types.find(c, share.shareTypeId(), ShareTypeRepository.Viewer.ADMIN).orElse(null);
    }

    private Share current(Connection c, String shareId) throws SQLException {
        return repos.shares().find(c, shareId)
                .orElseThrow(() -> ApiError.notFound("Share " + shareId + " could not be found."));
    }

    private static void requireChanged(boolean changed, Share share) {
        if (!changed) {
            throw ApiError.badRequest("Share " + share.id() + " changed while this request ran; look at it again "
                    + "and retry.");
        }
    }
}
