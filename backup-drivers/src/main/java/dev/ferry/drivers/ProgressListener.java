package dev.ferry.drivers;

/**
 * Receives copy progress. Called from the copy's threads (possibly several, never concurrently), at least
 * at the start and at the end, and rate-limited in between. Values never go backwards; the last call
 * reports 100% when the copy succeeds. Must be quick: it runs on the copy's path.
 */
@FunctionalInterface
public interface ProgressListener {

    void onProgress(CopyProgress progress);

    /** A listener that ignores progress. */
    static ProgressListener ignoring() {
        return progress -> { };
    }
}
