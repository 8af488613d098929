package dev.ferry.api.service;

import dev.ferry.api.ApiLimits;
import dev.ferry.api.db.ProjectLockRepository;
import dev.ferry.api.db.ShareRepository;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manila's {@code shares} and {@code gigabytes} quotas ({@code FERRY_QUOTA_SHARES}, {@code FERRY_QUOTA_GIGABYTES}),
 * counted from the project's share rows: a share holds its quota from its create, manage or extend until it is
 * deleted, unmanaged or shrunk. {@link #prepare} runs before the transaction that changes shares, {@link #lock}
 * and {@link #check} (or {@link #reserve}, both at once) inside it, so concurrent requests of one project take
 * turns on its lock row and cannot overshoot together. With both quotas unlimited nothing is locked or counted.
 */
public final class ShareQuota {
    private static final Logger LOG = LoggerFactory.getLogger(ShareQuota.class);
    private final ApiLimits limits;
    private final ShareRepository shares;
    private final ProjectLockRepository locks;

    public ShareQuota(ApiLimits limits, ShareRepository shares, ProjectLockRepository locks) {
        this.limits = limits;
        this.shares = shares;
        this.locks = locks;
    }

    private boolean unlimited() {
        return limits.shares() < 0 && limits.gigabytes() < 0;
    }

    /** Makes sure the project has a lock row (auto-commit, before the transaction). */
    public void prepare(Connection c, String projectId) throws SQLException {
        if (!unlimited()) {
            locks.ensure(c, projectId);
        }
    }

    /** Holds the project's lock row until the transaction ends. */
    public void lock(Connection c, String projectId) throws SQLException {
        if (!unlimited() && !locks.lock(c, projectId)) {
            throw new IllegalStateException("project " + projectId + " has no lock row: call prepare() first");
        }
    }

    /** {@link #lock}, then {@link #check}. */
    public void reserve(Connection c, String projectId, int moreShares, long moreGigabytes) throws SQLException {
        lock(c, projectId);
        check(c, projectId, moreShares, moreGigabytes);
    }

    /**
     * With the lock held: answers 413 when {@code moreShares} more shares and {@code moreGigabytes} more GiB would
     * exceed the project's quota, gigabytes first, with Manila's messages (a QuotaError is "safe", so Manila
     * prefixes its class name) and what to do about it.
     */
    public void check(Connection c, String projectId, int moreShares, long moreGigabytes) throws SQLException {
        if (unlimited()) {
            return;
        }
        ShareRepository.Usage usage = shares.usage(c, projectId);
        if (limits.gigabytes() >= 0 && moreGigabytes > 0 && usage.gigabytes() + moreGigabytes > limits.gigabytes()) {
            LOG.info("{} GiB more refused: project {} has shares of {} of {} GiB", moreGigabytes, projectId,
                    usage.gigabytes(), limits.gigabytes());
            throw new ApiError(413, "ShareSizeExceedsAvailableQuota: Requested share exceeds allowed project/user or "
                    + "share type gigabytes quota. Requested " + moreGigabytes + "G, quota is " + limits.gigabytes()
                    + "G and " + usage.gigabytes() + "G has been consumed. Delete or shrink shares no longer needed, "
                    + "or ask an administrator to raise FERRY_QUOTA_GIGABYTES.");
        }
        if (limits.shares() >= 0 && moreShares > 0 && usage.shares() + moreShares > limits.shares()) {
            LOG.info("share refused: project {} has {} of {} shares", projectId, usage.shares(), limits.shares());
            throw new ApiError(413, "ShareLimitExceeded: Maximum number of shares allowed (" + limits.shares()
                    + ") either per project/user or share type quota is exceeded. Delete shares no longer needed, "
                    + "or ask an administrator to raise FERRY_QUOTA_SHARES.");
        }
    }
}
