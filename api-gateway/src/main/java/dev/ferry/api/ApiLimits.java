package dev.ferry.api;

import java.time.Duration;

/**
 * Per-project quotas and how long user messages live. {@code backups} ({@code FERRY_QUOTA_BACKUPS}, default
 * 10) and {@code backupGigabytes} ({@code FERRY_QUOTA_BACKUP_GIGABYTES}, default 1000) are Manila's
 * {@code [quota] backups} and {@code backup_gigabytes}; -1 means unlimited, as in Manila.
 * {@code messageTtlSeconds} ({@code FERRY_MESSAGE_TTL}, default 30 days) is Manila's {@code message_ttl}.
 */
public record ApiLimits(int backups, int backupGigabytes, long messageTtlSeconds) {
    public static final int DEFAULT_BACKUPS = 10;
    public static final int DEFAULT_BACKUP_GIGABYTES = 1000;
    public static final long DEFAULT_MESSAGE_TTL_SECONDS = 2_592_000L;
    public static final ApiLimits DEFAULTS = new ApiLimits(DEFAULT_BACKUPS, DEFAULT_BACKUP_GIGABYTES,
            DEFAULT_MESSAGE_TTL_SECONDS);

    public ApiLimits {
        if (backups < -1) {
            throw new IllegalArgumentException("FERRY_QUOTA_BACKUPS is " + backups
                    + "; give a number of backups per project, or -1 for unlimited (default " + DEFAULT_BACKUPS + ")");
        }
        if (backupGigabytes < -1) {
            throw new IllegalArgumentException("FERRY_QUOTA_BACKUP_GIGABYTES is " + backupGigabytes
                    + "; give GiB per project, or -1 for unlimited (default " + DEFAULT_BACKUP_GIGABYTES + ")");
        }
        if (messageTtlSeconds < 1) {
            throw new IllegalArgumentException("FERRY_MESSAGE_TTL is " + messageTtlSeconds
                    + "; it must be at least 1 second (default " + DEFAULT_MESSAGE_TTL_SECONDS + ", 30 days)");
        }
    }

    public Duration messageTtl() {
        return Duration.ofSeconds(messageTtlSeconds);
    }
}
