package dev.ferry.drivers;

import java.util.Objects;

/** Back up the share at {@code source} as backup {@code backupId}. */
public record BackupRequest(String backupId, ShareLocation source) {
    public BackupRequest {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(source, "source");
    }
}
