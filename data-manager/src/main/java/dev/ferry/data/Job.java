package dev.ferry.data;

import dev.ferry.drivers.Cancellation;
import dev.ferry.messages.FailureDetail;

/**
 * A claimed unit of work a slot runs to its end (success or a reported failure). Each job kind has one class on
 * the data node ({@link JobRunner#jobFor} picks it): what the kind does, and what the runner says in its place
 * when it stalls or dies.
 */
public interface Job extends Runnable {
    /** What the job does, in words for a failure reason: {@code restoring backup b1 into share s2}. */
    String activity();

    /** The failure detail the runner reports when the job makes no progress for the stall time. */
    FailureDetail stallDetail();

    /** Whether the job, when it stalls or dies part-way, may have written part of an existing share. */
    boolean mayHaveWrittenTarget();

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
