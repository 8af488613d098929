package dev.ferry.data;

import java.time.Duration;

/**
 * How long a runner lets a job go: {@code stallAfter} without progress before the job is failed and cancelled
 * ({@code FERRY_JOB_STALL_SECONDS}), and {@code stopWait} after a cancel (a stall, a lost lease, a drain)
 * before its thread counts as stuck ({@link JobRunner#STOP_WAIT} in production).
 */
record JobLimits(Duration stallAfter, Duration stopWait) {
}
