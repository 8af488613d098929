package dev.ferry.api.model;

import dev.ferry.messages.BackupRow;
import dev.ferry.messages.OsloTime;
import java.time.LocalDateTime;

/** A row of {@code backups}. Progress fields are strings "0".."100", as in Manila. */
public record Backup(String id, String projectId, String userId, String shareId, int size, BackupStatus status,
                     String name, String description, String progress, String restoreProgress, String failReason,
                     String backupType, String host, String topic, LocalDateTime createdAt,
                     LocalDateTime updatedAt) {

    /** The row as Manila's casts carry it. */
    public BackupRow toRow() {
        return new BackupRow(id, userId, projectId, shareId, size, host, topic, name, description, progress,
                restoreProgress, status.wire(), failReason, backupType, null, OsloTime.format(createdAt),
                OsloTime.format(updatedAt));
    }
}
