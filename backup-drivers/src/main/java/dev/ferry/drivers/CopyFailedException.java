package dev.ferry.drivers;

import java.io.IOException;

/**
 * A tree copy failed or was cancelled. {@link #targetTouched()} tells whether anything in the target was
 * created, replaced or overwritten before it stopped.
 */
public final class CopyFailedException extends IOException {

    private final boolean targetTouched;
    private final boolean cancelled;

    public CopyFailedException(String message, boolean targetTouched, boolean cancelled, Throwable cause) {
        super(message, cause);
        this.targetTouched = targetTouched;
        this.cancelled = cancelled;
    }

    public boolean targetTouched() {
        return targetTouched;
    }

    /** True when the copy stopped because it was cancelled (or its thread interrupted), not because of an error. */
    public boolean cancelled() {
        return cancelled;
    }
}
