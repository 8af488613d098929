package dev.ferry.api.model;

import java.time.LocalDateTime;

/**
 * A row of {@code job_attempts}: one claim of a job, by {@code node} at {@code epoch}, and how it ended
 * ({@link #RUNNING} while it has not).
 */
public record JobAttempt(String jobId, long epoch, String node, LocalDateTime startedAt, LocalDateTime endedAt,
                         String outcome) {
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String LEASE_EXPIRED = "lease expired";

    /** The outcome of a hold its node gave back. */
    public static String released(String reason) {
        return "released: " + (reason == null || reason.isBlank() ? "no reason given" : reason);
    }
}
