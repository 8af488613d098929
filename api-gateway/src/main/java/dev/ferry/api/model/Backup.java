package dev.ferry.api.model;

import dev.ferry.messages.BackupRow;
import dev.ferry.messages.OsloTime;
import java.time.LocalDateTime;

/**
 * A row of {@code backups}. Progress fields are strings "0".."100", as in Manila. {@code hasManifest}: the data node
 * wrote the backup's manifest (a record of every entry), so it can be browsed, verified and restored in part; backups
 * made before Ferry wrote manifests have none and can only be restored in full.
 */
public record Backup(String id, String projectId, String userId, String shareId, int size, BackupStatus status,
                     String name, String description, String progress, String restoreProgress, String failReason,
                     String backupType, String host, String topic, LocalDateTime createdAt,
                     LocalDateTime updatedAt, boolean hasManifest) {

    /** A backup without a manifest (being created, or made before manifests). */
    public Backup(String id, String projectId, String userId, String shareId, int size, BackupStatus status,
                  String name, String description, String progress, String restoreProgress, String failReason,
                  String backupType, String host, String topic, LocalDateTime createdAt, LocalDateTime updatedAt) {
        this(id, projectId, userId, shareId, size, status, name, description, progress, restoreProgress, failReason,
                backupType, host, topic, createdAt, updatedAt, false);
    }

    /** The row as Manila's casts carry it. */
    public BackupRow toRow() {
        return new BackupRow(id, userId, projectId, shareId, size, host, topic, name, description, progress,
                restoreProgress, status.wire(), failReason, backupType, null, OsloTime.format(createdAt),
                OsloTime.format(updatedAt));
    }
}
