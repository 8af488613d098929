package dev.ferry.drivers;

import dev.ferry.messages.FailureDetail;

import java.util.Objects;

/**
 * A backup or restore failed. {@link #detail()} is the user-message detail to record;
 * {@link #targetTouched()} tells whether the target share may have been partly overwritten (a restore that
 * failed before writing anything leaves the target as it was).
 */
public final class DriverException extends Exception {

    private final FailureDetail detail;
    private final boolean targetTouched;

    public DriverException(FailureDetail detail, String message, boolean targetTouched, Throwable cause) {
        super(message, cause);
        this.detail = Objects.requireNonNull(detail, "detail");
        this.targetTouched = targetTouched;
    }

    public FailureDetail detail() {
        return detail;
    }

    public boolean targetTouched() {
        return targetTouched;
    }
}
