package dev.ferry.api.model;

import dev.ferry.messages.ShareInfo;
import java.time.LocalDateTime;

/** A row of {@code shares}. Size is in GiB. */
public record Share(String id, String projectId, String userId, String name, String description, String protocol,
                    int size, ShareStatus status, String exportPath, boolean isPublic, String sourceBackupId,
                    LocalDateTime createdAt, LocalDateTime updatedAt) {

    public ShareInfo info() {
        return new ShareInfo(id, projectId, protocol, size, exportPath);
    }
}
