package dev.ferry.drivers;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Tells the threads of one copy to stop: because the caller cancelled, the calling thread was interrupted,
 * or one of them failed (the first failure is kept, later ones are consequences). It also passes the copy's
 * progress on to the caller's {@link Cancellation}, for its stall watchdog.
 */
final class StopSignal {

    private final Cancellation cancellation;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean interrupted;

    StopSignal(Cancellation cancellation) {
        this.cancellation = cancellation;
    }

    /** Records a failure; only the first one is kept. */
    void fail(Throwable cause) {
        failure.compareAndSet(null, cause);
    }

    void interrupt() {
        interrupted = true;
    }

    boolean shouldStop() {
        return cancellation.isCancelled() || interrupted || failure.get() != null;
    }

    /** Throws when the copy should stop, so the caller unwinds to where the outcome is decided. */
    void check() throws CopyStoppedException {
        if (shouldStop()) {
            throw new CopyStoppedException();
        }
    }

    /** Records progress: {@code where} says what the copy is doing. */
    void progressed(String where) {
        cancellation.progressed(where);
    }

    Throwable failure() {
        return failure.get();
    }

    boolean cancelled() {
        return cancellation.isCancelled();
    }

    boolean interrupted() {
        return interrupted;
    }
}
