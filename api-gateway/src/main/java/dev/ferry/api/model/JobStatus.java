package dev.ferry.api.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A job's life: queued by the API, running once a data node claimed it, then finished either way. A running
 * job goes back to queued when its node gives it back or its lease expires. A queued or running job is
 * cancelled when Ferry's API ends it: a user's cancel action, or an admin's reset_status or delete of what it
 * holds (the job is fenced: its node's lease calls and transitions are refused from then on).
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String wire) {
        for (JobStatus status : values()) {
            if (status.wire().equals(wire)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown job status '" + wire + "'");
    }

    /** The statuses this one may change to. */
    public Set<JobStatus> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, CANCELLED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, QUEUED, CANCELLED);
            case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(JobStatus.class);
        };
    }

    public boolean canBecome(JobStatus target) {
        return next().contains(target);
    }
}
