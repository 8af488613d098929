package dev.ferry.drivers;

import java.util.Objects;

/**
 * Restore backup {@code backupId} into the share at {@code target} (the backup's own share or another one),
 * writing what {@code selection} names.
 */
public record RestoreRequest(String backupId, ShareLocation target, RestoreSelection selection) {
    public RestoreRequest {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(selection, "selection");
    }

    /** A whole restore, as Manila's. */
    public RestoreRequest(String backupId, ShareLocation target) {
        this(backupId, target, RestoreSelection.WHOLE);
    }
}
