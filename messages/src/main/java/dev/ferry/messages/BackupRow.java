package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A share backup as Manila's {@code restore_backup}/{@code create_backup} casts carry it: the whole
 * {@code share_backups} row as a dict (oslo-wire.md §1). Unknown keys are tolerated on read.
 */
public record BackupRow(String id, String userId, String projectId, String shareId, long size, String host,
                        String topic, String displayName, String displayDescription, String progress,
                        String restoreProgress, String status, String failReason, String backupType,
                        String availabilityZoneId, String createdAt, String updatedAt) {

    /** The row dict, keys in the order oslo's encoder writes them. */
    public ObjectNode toOslo() {
        ObjectNode row = Json.object();
        row.put("created_at", createdAt);
        row.put("updated_at", updatedAt);
        row.putNull("deleted_at");
        row.put("deleted", "False");
        row.put("id", id);
        row.put("user_id", userId);
        row.put("project_id", projectId);
        row.put("share_id", shareId);
        row.put("size", size);
        row.put("host", host);
        row.put("topic", topic);
        row.put("display_name", displayName);
        row.put("display_description", displayDescription);
        row.put("progress", progress);
        row.put("restore_progress", restoreProgress);
        row.put("status", status);
        row.put("fail_reason", failReason);
        row.put("backup_type", backupType);
        row.put("availability_zone_id", availabilityZoneId);
        return row;
    }

    public static BackupRow fromOslo(JsonNode row) throws UndecodableMessageException {
        if (row == null || !row.isObject()) {
            throw new UndecodableMessageException("'backup' is not an object");
        }
        String id = Json.text(row, "id");
        if (id == null || id.isBlank()) {
            throw new UndecodableMessageException("'backup' has no 'id'");
        }
        JsonNode size = row.get("size");
        return new BackupRow(id, Json.text(row, "user_id"), Json.text(row, "project_id"), Json.text(row, "share_id"),
                size == null || size.isNull() ? 0 : size.asLong(), Json.text(row, "host"), Json.text(row, "topic"),
                Json.text(row, "display_name"), Json.text(row, "display_description"), Json.text(row, "progress"),
                Json.text(row, "restore_progress"), Json.text(row, "status"), Json.text(row, "fail_reason"),
                Json.text(row, "backup_type"), Json.text(row, "availability_zone_id"), Json.text(row, "created_at"),
                Json.text(row, "updated_at"));
    }
}
