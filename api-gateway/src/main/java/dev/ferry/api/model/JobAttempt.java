package dev.ferry.api.model;

import dev.ferry.messages.CopyCounters;
import java.time.LocalDateTime;

/**
 * A row of {@code job_attempts}: one claim of a job, by {@code node} at {@code epoch}, and how it ended
 * ({@link #RUNNING} while it has not). {@code counters} is what it copied, as its data node's success or failure
 * reported it; null while it runs, and when it ended without such a report.
 */
public record JobAttempt(String jobId, long epoch, String node, LocalDateTime startedAt, LocalDateTime endedAt,
                         String outcome, CopyCounters counters) {
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String LEASE_EXPIRED = "lease expired";

    /** An attempt without counters. */
    public JobAttempt(String jobId, long epoch, String node, LocalDateTime startedAt, LocalDateTime endedAt,
                      String outcome) {
        this(jobId, epoch, node, startedAt, endedAt, outcome, null);
    }

    /** The outcome of a hold its node gave back. */
    public static String released(String reason) {
        return "released: " + (reason == null || reason.isBlank() ? "no reason given" : reason);
    }
}
