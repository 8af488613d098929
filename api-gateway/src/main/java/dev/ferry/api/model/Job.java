package dev.ferry.api.model;

import dev.ferry.messages.JobKind;
import java.time.LocalDateTime;

/**
 * A row of {@code jobs}: one restore, backup creation or deletion, or share job of the {@code subdir}
 * backend. {@code shareId} is the restore target, the share being backed up, or the share the share job
 * is about; {@code backupId} is null for share jobs without a backup; {@code newSize} is what a
 * {@code shrink_share} job asks for (GiB), null otherwise. {@code epoch} grows with each claim and each return to the queue; transitions
 * and lease calls must quote it. {@code leaseExpiresAt} is when a running job's holder loses it unless it
 * renews (null: not running, or claimed before leases existed). {@code restoreSelection} is what a restore asked for
 * beyond Manila's whole restore, as JSON text ({@link dev.ferry.messages.RestoreScope}); null for a whole restore
 * and for other kinds.
 */
public record Job(String id, JobKind kind, String backupId, String shareId, JobStatus status, long epoch, String node,
                  String requestId, String detailId, String reason, LocalDateTime leaseExpiresAt,
                  LocalDateTime createdAt, LocalDateTime updatedAt, Integer newSize, String restoreSelection) {

    public Job(String id, JobKind kind, String backupId, String shareId, JobStatus status, long epoch, String node,
               String requestId, String detailId, String reason, LocalDateTime leaseExpiresAt,
               LocalDateTime createdAt, LocalDateTime updatedAt, Integer newSize) {
        this(id, kind, backupId, shareId, status, epoch, node, requestId, detailId, reason, leaseExpiresAt, createdAt,
                updatedAt, newSize, null);
    }

    public Job(String id, JobKind kind, String backupId, String shareId, JobStatus status, long epoch, String node,
               String requestId, String detailId, String reason, LocalDateTime leaseExpiresAt,
               LocalDateTime createdAt, LocalDateTime updatedAt) {
        this(id, kind, backupId, shareId, status, epoch, node, requestId, detailId, reason, leaseExpiresAt, createdAt,
                updatedAt, null);
    }

    /** This job restoring {@code selectionJson} (null: the whole backup). */
    public Job withRestoreSelection(String selectionJson) {
        return new Job(id, kind, backupId, shareId, status, epoch, node, requestId, detailId, reason, leaseExpiresAt,
                createdAt, updatedAt, newSize, selectionJson);
    }

    /** A job the API just accepted: queued at epoch 0, held by nobody. */
    public static Job queued(String id, JobKind kind, String backupId, String shareId, String requestId,
                             LocalDateTime now) {
        return new Job(id, kind, backupId, shareId, JobStatus.QUEUED, 0, null, requestId, null, null, null, now, now);
    }
}
