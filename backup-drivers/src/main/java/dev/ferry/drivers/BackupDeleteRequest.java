package dev.ferry.drivers;

import java.util.Objects;

/** Delete backup {@code backupId}: its folder {@code <backup repository>/<backupId>/} and everything in it. */
public record BackupDeleteRequest(String backupId) {
    public BackupDeleteRequest {
        Objects.requireNonNull(backupId, "backupId");
    }
}
