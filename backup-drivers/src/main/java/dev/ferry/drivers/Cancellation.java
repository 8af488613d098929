package dev.ferry.drivers;

/** A thread-safe flag that asks a running copy to stop; the copy then fails saying it was cancelled. */
public final class Cancellation {

    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
