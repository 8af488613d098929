package dev.ferry.api.service;

import dev.ferry.api.ApiLimits;
import dev.ferry.api.db.BackupRepository;
import dev.ferry.api.db.ProjectLockRepository;
import dev.ferry.api.model.BackupStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manila's {@code backups} and {@code backup_gigabytes} quotas, counted from the project's backup rows (every
 * status but {@code deleted} counts: a backup holds its quota until its deletion succeeds). {@link #prepare} runs before the create
 * transaction; {@link #reserve} inside it, holding the project's lock row so concurrent creates take turns.
 */
public final class BackupQuota {
    private static final Logger LOG = LoggerFactory.getLogger(BackupQuota.class);
    private static final Set<BackupStatus> COUNTED = EnumSet.complementOf(EnumSet.of(BackupStatus.DELETED));
    private final ApiLimits limits;
    private final BackupRepository backups;
    private final ProjectLockRepository locks;

    public BackupQuota(ApiLimits limits, BackupRepository backups, ProjectLockRepository locks) {
        this.limits = limits;
        this.backups = backups;
        this.locks = locks;
    }

    /** Makes sure the project has a lock row (auto-commit). */
    public void prepare(Connection c, String projectId) throws SQLException {
        locks.ensure(c, projectId);
    }

    /**
     * Locks the project and answers 413 when one more backup of {@code gigabytes} would exceed its quota, with
     * Manila's message: a QuotaError is "safe", so Manila prefixes its class name.
     */
    public void reserve(Connection c, String projectId, int gigabytes) throws SQLException {
        if (!locks.lock(c, projectId)) {
            throw new IllegalStateException("project " + projectId + " has no lock row: call prepare() first");
        }
        BackupRepository.Usage usage = backups.usage(c, projectId, COUNTED);
        if (limits.backupGigabytes() >= 0 && usage.gigabytes() + gigabytes > limits.backupGigabytes()) {
            LOG.info("backup of {} GiB refused: project {} uses {} of {} GiB", gigabytes, projectId,
                    usage.gigabytes(), limits.backupGigabytes());
            throw new ApiError(413, "ShareBackupSizeExceedsAvailableQuota: Requested backup exceeds allowed Backup gigabytes quota. Requested "
                    + gigabytes + "G, quota is " + limits.backupGigabytes() + "G and " + usage.gigabytes()
                    + "G has been consumed. Delete backups you no longer need, or ask an administrator to raise "
                    + "FERRY_QUOTA_BACKUP_GIGABYTES.");
        }
        if (limits.backups() >= 0 && usage.backups() + 1 > limits.backups()) {
            LOG.info("backup refused: project {} has {} of {} backups", projectId, usage.backups(), limits.backups());
            throw new ApiError(413, "BackupLimitExceeded: Maximum number of backups allowed (" + limits.backups() + ") exceeded. "
                    + "Delete backups you no longer need, or ask an administrator to raise FERRY_QUOTA_BACKUPS.");
        }
    }
}
