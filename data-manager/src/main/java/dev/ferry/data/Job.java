package dev.ferry.data;

/** A claimed unit of work a slot runs to its end (success or a reported failure). */
public interface Job extends Runnable {
    /**
     * Asks the job to stop early; it then reports a failure, which is not sent when its context was
     * silenced first (a lost lease, a drain).
     */
    void cancel();
}
