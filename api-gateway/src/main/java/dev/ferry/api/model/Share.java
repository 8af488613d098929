package dev.ferry.api.model;

import dev.ferry.messages.ShareInfo;
import java.time.LocalDateTime;

/**
 * A row of {@code shares}. Size is in GiB. {@code progress} is how far the share's creation came (0-100; null for
 * a share Ferry did not create, such as a managed one). {@code backend} is {@link #MANAGED} (an existing export that Ferry
 * only records) or {@link #SUBDIR} (a folder Ferry created under its base export, and deletes with the share).
 * {@code shareTypeId} and {@code shareTypeName} are its share type (both null: none).
 */
public record Share(String id, String projectId, String userId, String name, String description, String protocol,
                    int size, ShareStatus status, String exportPath, boolean isPublic, String sourceBackupId,
                    LocalDateTime createdAt, LocalDateTime updatedAt, String backend, Integer progress,
                    String shareTypeId, String shareTypeName) {
    public static final String MANAGED = "managed";
    public static final String SUBDIR = "subdir";

    public Share {
        if (!MANAGED.equals(backend) && !SUBDIR.equals(backend)) {
            throw new IllegalArgumentException("unknown share backend '" + backend + "'");
        }
    }

    /** A share without a share type. */
    public Share(String id, String projectId, String userId, String name, String description, String protocol,
                 int size, ShareStatus status, String exportPath, boolean isPublic, String sourceBackupId,
                 LocalDateTime createdAt, LocalDateTime updatedAt, String backend, Integer progress) {
        this(id, projectId, userId, name, description, protocol, size, status, exportPath, isPublic, sourceBackupId,
                createdAt, updatedAt, backend, progress, null, null);
    }

    /** A share without creation progress (one Ferry did not create). */
    public Share(String id, String projectId, String userId, String name, String description, String protocol,
                 int size, ShareStatus status, String exportPath, boolean isPublic, String sourceBackupId,
                 LocalDateTime createdAt, LocalDateTime updatedAt, String backend) {
        this(id, projectId, userId, name, description, protocol, size, status, exportPath, isPublic, sourceBackupId,
                createdAt, updatedAt, backend, null);
    }

    /**
     * Manila's {@code progress} (from 2.54): how far the creation came while the share is creating (0 % before the
     * first report), where it stopped for a creation that failed, 100 % for every other share.
     */
    public String progressText() {
        if (progress != null) {
            return progress + "%";
        }
        return status == ShareStatus.CREATING ? "0%" : "100%";
    }

    public boolean isSubdir() {
        return SUBDIR.equals(backend);
    }

    public ShareInfo info() {
        return new ShareInfo(id, projectId, protocol, size, exportPath);
    }
}
