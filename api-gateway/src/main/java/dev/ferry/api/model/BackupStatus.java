package dev.ferry.api.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** A share backup's status, as in Manila (manila-behaviour.md §2.1-2.4). */
public enum BackupStatus {
    CREATING, AVAILABLE, RESTORING, DELETING, ERROR, ERROR_DELETING,
    /** Soft-deleted: the row stays (as in Manila), but the API never shows it and no quota counts it. */
    DELETED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BackupStatus fromWire(String wire) {
        for (BackupStatus status : values()) {
            if (status.wire().equals(wire)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown backup status '" + wire + "'");
    }

    /** The statuses this one may change to. */
    public Set<BackupStatus> next() {
        return switch (this) {
            case CREATING -> EnumSet.of(AVAILABLE, ERROR);
            case AVAILABLE -> EnumSet.of(RESTORING, DELETING);
            case RESTORING -> EnumSet.of(AVAILABLE);
            case ERROR -> EnumSet.of(DELETING);
            case DELETING -> EnumSet.of(ERROR_DELETING, DELETED);
            case ERROR_DELETING, DELETED -> EnumSet.noneOf(BackupStatus.class);
        };
    }

    public boolean canBecome(BackupStatus target) {
        return next().contains(target);
    }
}
