package dev.ferry.data;

import java.time.Duration;

/** What a node asks of each of its job slots ({@link JobSlot}) when it stops. */
interface Slot {
    /** Takes no more deliveries, at once. */
    void stopConsuming();

    /**
     * Stops consuming, lets the running job finish until {@code deadlineNanos}, then has it cancelled and released;
     * waits up to {@code handlingWait} for a delivery still being handled. Does not wait for a job that cannot be
     * stopped.
     */
    void drain(long deadlineNanos, Duration handlingWait);

    /** Whether a job runs on it. */
    boolean busy();
}
