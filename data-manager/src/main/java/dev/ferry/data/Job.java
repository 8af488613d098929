package dev.ferry.data;

import dev.ferry.drivers.Cancellation;

/** A claimed unit of work a slot runs to its end (success or a reported failure). */
public interface Job extends Runnable {
    /**
     * What the job shares with the driver: the flag that asks it to stop, and its last sign of progress, which
     * the runner's stall watchdog reads.
     */
    Cancellation cancellation();

    /**
     * Asks the job to stop early; it then reports a failure, which is not sent when its context was
     * silenced first (a lost lease, a drain) or when its failure was reported for it (a stall).
     */
    default void cancel() {
        cancellation().cancel();
    }

    /**
     * Called once the job stopped after Ferry's API ended it (a user's cancel, an admin's reset_status): removes
     * what it made that nobody will finish. Nothing by default (a restore's temporary files are already gone).
     */
    default void discardAfterEnd() {
    }
}
