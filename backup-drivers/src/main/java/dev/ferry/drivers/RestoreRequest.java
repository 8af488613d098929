package dev.ferry.drivers;

import java.util.Objects;

/** Restore backup {@code backupId} into the share at {@code target} (the backup's own share or another one). */
public record RestoreRequest(String backupId, ShareLocation target) {
    public RestoreRequest {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(target, "target");
    }
}
