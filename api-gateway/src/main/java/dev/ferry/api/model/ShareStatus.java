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

    /** Why a share in this status refuses a change, and what to do; empty for available. */
    public String why() {
        return switch (this) {
            case BACKUP_RESTORING -> " (a backup is being restored into it; retry when it is available)";
            case BACKUP_CREATING -> " (a backup of it is being created; retry when it is available)";
            case CREATING, DELETING, SHRINKING -> " (a data node is working on it; retry when it is available)";
            case ERROR, ERROR_DELETING, BACKUP_RESTORING_ERROR -> " (an admin must reset its status first)";
            case AVAILABLE -> "";
        };
    }

    public boolean canBecome(ShareStatus target) {
        return next().contains(target);
    }
}
