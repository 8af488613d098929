package dev.ferry.api.model;

import dev.ferry.messages.JobKind;
import java.time.LocalDateTime;

/**
 * A row of {@code jobs}: one restore or backup creation. {@code shareId} is the restore target, or the
 * share being backed up. {@code epoch} grows with each claim; transitions must quote it.
 */
public record Job(String id, JobKind kind, String backupId, String shareId, JobStatus status, long epoch, String node,
                  String requestId, String detailId, String reason, LocalDateTime createdAt,
                  LocalDateTime updatedAt) {
}
