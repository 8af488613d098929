package dev.ferry.drivers;

import java.util.Objects;

/**
 * Restore backup {@code backupId} into the share at {@code target} (the backup's own share or another one),
 * writing what {@code selection} names. {@code resumed} is true for an attempt that follows another one of the
 * same job (lease expiry, drain, replay): files the target already holds complete and identical to the manifest
 * are then left as they are, whatever the overwrite policy.
 */
public record RestoreRequest(String backupId, ShareLocation target, RestoreSelection selection, boolean resumed) {
    public RestoreRequest {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(selection, "selection");
    }

    /** A first attempt writing {@code selection}. */
    public RestoreRequest(String backupId, ShareLocation target, RestoreSelection selection) {
        this(backupId, target, selection, false);
    }

    /** A whole restore, as Manila's, first attempt. */
    public RestoreRequest(String backupId, ShareLocation target) {
        this(backupId, target, RestoreSelection.WHOLE, false);
    }
}
