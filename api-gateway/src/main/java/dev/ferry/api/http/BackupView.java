package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.model.Backup;
import dev.ferry.messages.Json;
import dev.ferry.messages.OsloTime;

/** Manila's {@code BackupViewBuilder}: summary, and detail (backup_type from 2.85, host/topic for admins). */
public final class BackupView {
    private BackupView() {
    }

    public static ObjectNode summary(Backup backup) {
        ObjectNode view = Json.object();
        view.put("id", backup.id());
        view.put("name", backup.name());
        view.put("share_id", backup.shareId());
        view.put("status", backup.status().wire());
        return view;
    }

    public static ObjectNode detail(Backup backup, ApiVersion version, boolean admin) {
        ObjectNode view = summary(backup);
        view.put("description", backup.description());
        view.put("size", backup.size());
        view.put("created_at", OsloTime.format(backup.createdAt()));
        view.put("updated_at", OsloTime.format(backup.updatedAt()));
        view.putNull("availability_zone");
        view.put("progress", backup.progress());
        view.put("restore_progress", backup.restoreProgress());
        if (version.atLeast(ApiVersion.BACKUP_TYPE)) {
            view.put("backup_type", backup.backupType());
        }
        if (admin) {
            view.put("host", backup.host());
            view.put("topic", backup.topic());
        }
        return view;
    }
}
