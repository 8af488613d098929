package dev.ferry.data;

import java.time.Duration;

/**
 * A job whose thread did not return within {@code waited} of being cancelled because {@code cancelledBecause}:
 * it is stuck where Java cannot reach it (in the kernel, on a dead NFS mount), and only the end of the
 * process stops it.
 */
record StuckJob(String jobId, long epoch, String requestId, String cancelledBecause, Duration waited) {

    /** How long it was waited for, in words: {@code 60 s}, or {@code 200 ms} below a second. */
    String waitedText() {
        return waited.compareTo(Duration.ofSeconds(1)) < 0 ? waited.toMillis() + " ms" : waited.toSeconds() + " s";
    }

    /** Told once per stuck job, on whatever thread found it stuck; must not block. */
    @FunctionalInterface
    interface Listener {
        void jobCannotStop(StuckJob job);
    }
}
