package dev.ferry.api.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A share's status as Manila names it, with the changes Ferry makes (DESIGN.md §4, manila-behaviour.md
 * §2.1-2.3). {@code error_deleting} and {@code backup_restoring_error} are dead ends: only an admin's
 * {@code reset_status} leaves them. A deleted share has no status: its row is removed.
 */
public enum ShareStatus {
    CREATING, AVAILABLE, ERROR, DELETING, ERROR_DELETING, SHRINKING, BACKUP_CREATING, BACKUP_RESTORING,
    BACKUP_RESTORING_ERROR;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ShareStatus fromWire(String wire) {
        for (ShareStatus status : values()) {
            if (status.wire().equals(wire)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown share status '" + wire + "'");
    }

    /** The statuses this one may change to. */
    public Set<ShareStatus> next() {
        return switch (this) {
            case CREATING -> EnumSet.of(AVAILABLE, ERROR);
            case AVAILABLE -> EnumSet.of(BACKUP_CREATING, BACKUP_RESTORING, DELETING, SHRINKING);
            case ERROR -> EnumSet.of(DELETING);
            case DELETING -> EnumSet.of(ERROR_DELETING);
            case SHRINKING, BACKUP_CREATING -> EnumSet.of(AVAILABLE);
            case BACKUP_RESTORING -> EnumSet.of(AVAILABLE, BACKUP_RESTORING_ERROR);
            case ERROR_DELETING, BACKUP_RESTORING_ERROR -> EnumSet.noneOf(ShareStatus.class);
        };
    }

    public boolean canBecome(ShareStatus target) {
        return next().contains(target);
    }
}
