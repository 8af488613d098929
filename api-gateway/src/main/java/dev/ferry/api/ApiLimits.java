package dev.ferry.api;

import java.time.Duration;

/**
 * Per-project quotas and how long user messages and finished jobs are kept. {@code backups} ({@code FERRY_QUOTA_BACKUPS}, default
 * 10) and {@code backupGigabytes} ({@code FERRY_QUOTA_BACKUP_GIGABYTES}, default 1000) are Manila's
 * {@code [quota] backups} and {@code backup_gigabytes}; -1 means unlimited, as in Manila.
 * {@code messageTtlSeconds} ({@code FERRY_MESSAGE_TTL}, default 30 days) is Manila's {@code message_ttl}.
 * {@code shares} ({@code FERRY_QUOTA_SHARES}, default 50) and {@code gigabytes} ({@code FERRY_QUOTA_GIGABYTES},
 * default 1000) are Manila's {@code [quota] shares} and {@code gigabytes}: the shares a project may hold and their
 * total size in GiB; -1 means unlimited.
 * {@code maxPageSize} ({@code FERRY_MAX_PAGE_SIZE}, default 1000) is Manila's {@code osapi_max_limit}: the most items
 * one list answer holds, and how many it holds when no {@code limit} is asked.
 * {@code jobRetentionDays} ({@code FERRY_JOB_RETENTION_DAYS}, default 30) is how many days finished jobs (with their
 * attempts) and sent outbox rows are kept after they ended, before the {@code RetentionPurger} deletes them.
 */
public record ApiLimits(int backups, int backupGigabytes, long messageTtlSeconds, int shares, int gigabytes,
        int maxPageSize, int jobRetentionDays) {
    public static final int DEFAULT_BACKUPS = 10;
    public static final int DEFAULT_BACKUP_GIGABYTES = 1000;
    public static final long DEFAULT_MESSAGE_TTL_SECONDS = 2_592_000L;
    public static final int DEFAULT_SHARES = 50;
    public static final int DEFAULT_GIGABYTES = 1000;
    public static final int DEFAULT_MAX_PAGE_SIZE = 1000;
    public static final int DEFAULT_JOB_RETENTION_DAYS = 30;
    /** A hundred years: far enough to mean "keep", near enough that the cut-off date stays a date. */
    public static final int MAX_JOB_RETENTION_DAYS = 36_500;
    public static final ApiLimits DEFAULTS = new ApiLimits(DEFAULT_BACKUPS, DEFAULT_BACKUP_GIGABYTES,
            DEFAULT_MESSAGE_TTL_SECONDS);

    /** With Manila's default share quotas (50 shares, 1000 GiB) and maximum page size (1000). */
    public ApiLimits(int backups, int backupGigabytes, long messageTtlSeconds) {
        this(backups, backupGigabytes, messageTtlSeconds, DEFAULT_SHARES, DEFAULT_GIGABYTES);
    }

    /** With Manila's maximum page size ({@value #DEFAULT_MAX_PAGE_SIZE}). */
    public ApiLimits(int backups, int backupGigabytes, long messageTtlSeconds, int shares, int gigabytes) {
        this(backups, backupGigabytes, messageTtlSeconds, shares, gigabytes, DEFAULT_MAX_PAGE_SIZE);
    }

    /** With the default retention of finished jobs ({@value #DEFAULT_JOB_RETENTION_DAYS} days). */
    public ApiLimits(int backups, int backupGigabytes, long messageTtlSeconds, int shares, int gigabytes,
                     int maxPageSize) {
        this(backups, backupGigabytes, messageTtlSeconds, shares, gigabytes, maxPageSize, DEFAULT_JOB_RETENTION_DAYS);
    }

    public ApiLimits {
        if (backups < -1) {
            throw new IllegalArgumentException("FERRY_QUOTA_BACKUPS is " + backups
                    + "; give a number of backups per project, or -1 for unlimited (default " + DEFAULT_BACKUPS + ")");
        }
        if (backupGigabytes < -1) {
            throw new IllegalArgumentException("FERRY_QUOTA_BACKUP_GIGABYTES is " + backupGigabytes
                    + "; give GiB per project, or -1 for unlimited (default " + DEFAULT_BACKUP_GIGABYTES + ")");
        }
        if (shares < -1) {
            throw new IllegalArgumentException("FERRY_QUOTA_SHARES is " + shares
                    + "; give a number of shares per project, or -1 for unlimited (default " + DEFAULT_SHARES + ")");
        }
        if (gigabytes < -1) {
            throw new IllegalArgumentException("FERRY_QUOTA_GIGABYTES is " + gigabytes
                    + "; give GiB of shares per project, or -1 for unlimited (default " + DEFAULT_GIGABYTES + ")");
        }
        if (messageTtlSeconds < 1) {
            throw new IllegalArgumentException("FERRY_MESSAGE_TTL is " + messageTtlSeconds
                    + "; it must be at least 1 second (default " + DEFAULT_MESSAGE_TTL_SECONDS + ", 30 days)");
        }
        if (maxPageSize < 1) {
            throw new IllegalArgumentException("FERRY_MAX_PAGE_SIZE is " + maxPageSize
                    + "; give the most items one list answer may hold, at least 1 (default " + DEFAULT_MAX_PAGE_SIZE
                    + ", as Manila's osapi_max_limit)");
        }
        if (jobRetentionDays < 1 || jobRetentionDays > MAX_JOB_RETENTION_DAYS) {
            throw new IllegalArgumentException("FERRY_JOB_RETENTION_DAYS is " + jobRetentionDays
                    + "; give how many days finished jobs and sent outbox rows are kept before they are deleted, from 1 "
                    + "to " + MAX_JOB_RETENTION_DAYS + " (default " + DEFAULT_JOB_RETENTION_DAYS + ")");
        }
    }

    /** The same limits with other share quotas ({@code -1}: unlimited). */
    public ApiLimits withShareQuotas(int shares, int gigabytes) {
        return new ApiLimits(backups, backupGigabytes, messageTtlSeconds, shares, gigabytes, maxPageSize,
                jobRetentionDays);
    }

    /** The same limits with another retention of finished jobs and sent outbox rows, in days. */
    public ApiLimits withJobRetentionDays(int jobRetentionDays) {
        return new ApiLimits(backups, backupGigabytes, messageTtlSeconds, shares, gigabytes, maxPageSize,
                jobRetentionDays);
    }

    /** How long finished jobs and sent outbox rows are kept after they ended. */
    public Duration jobRetention() {
        return Duration.ofDays(jobRetentionDays);
    }

    public Duration messageTtl() {
        return Duration.ofSeconds(messageTtlSeconds);
    }
}
