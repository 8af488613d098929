package dev.ferry.api.model;

import dev.ferry.messages.ShareInfo;
import java.time.LocalDateTime;

/**
 * A row of {@code shares}. Size is in GiB. {@code backend} is {@link #MANAGED} (an existing export that Ferry
 * only records) or {@link #SUBDIR} (a folder Ferry created under its base export, and deletes with the share).
 */
public record Share(String id, String projectId, String userId, String name, String description, String protocol,
                    int size, ShareStatus status, String exportPath, boolean isPublic, String sourceBackupId,
                    LocalDateTime createdAt, LocalDateTime updatedAt, String backend) {
    public static final String MANAGED = "managed";
    public static final String SUBDIR = "subdir";

    public Share {
        if (!MANAGED.equals(backend) && !SUBDIR.equals(backend)) {
            throw new IllegalArgumentException("unknown share backend '" + backend + "'");
        }
    }

    public boolean isSubdir() {
        return SUBDIR.equals(backend);
    }

    public ShareInfo info() {
        return new ShareInfo(id, projectId, protocol, size, exportPath);
    }
}
