package dev.ferry.drivers;

/**
 * What a job's caller and the driver share while the job runs: a thread-safe flag that asks the work to stop
 * (it then fails saying it was cancelled), and the last sign of progress the driver gave (an entry walked,
 * created, deleted or measured, or bytes moved), so that a watchdog can tell a job that stalls (say, stuck on a
 * dead mount) from one that is merely long.
 */
public final class Cancellation {

    private volatile boolean cancelled;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile String lastProgressAt = "starting";

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Records progress; {@code where} says what the work was doing (e.g. "copying 'a/b.txt'"). Cheap enough to
     * call for every entry and every chunk of a file.
     */
    public void progressed(String where) {
        lastProgressAt = where;
        lastProgressNanos = System.nanoTime();
    }

    /** {@link System#nanoTime()} of the last progress (or of this object's creation). */
    public long lastProgressNanos() {
        return lastProgressNanos;
    }

    /** What the work was doing at its last progress. */
    public String lastProgressAt() {
        return lastProgressAt;
    }
}
