package dev.ferry.drivers;

/**
 * Builds the {@link CopyFailedException} a copy or a restore ends with when it fails or is stopped, worded for
 * that run: {@code what} starts the message ("Copying …"), {@code keptAfterFailure} says what stays in the target
 * after a failure, {@code partialTarget} what the target holds after a stop.
 */
record RunFailures(String what, String keptAfterFailure, String partialTarget) {

    /**
     * The exception for {@code error}, or, when null, for the stop's failure or the stop itself.
     *
     * @param touched   whether the run wrote anything to the target
     * @param bytesDone the bytes copied so far
     */
    CopyFailedException of(Throwable error, StopSignal stop, boolean touched, long bytesDone) {
        Throwable failure = error != null ? error : stop.failure();
        if (failure != null && !(failure instanceof CopyStoppedException)) {
            String reason = failure instanceof java.io.IOException io ? IoErrors.describe(io) : failure.toString();
            return new CopyFailedException(what + " failed: " + reason + (touched
                    ? ". " + keptAfterFailure + "; fix the cause and run it again"
                    : ". Nothing was written to the target; fix the cause and run it again"),
                    touched, false, failure);
        }
        String why = stop.cancelled() ? "was cancelled" : "was interrupted (the process is shutting down)";
        return new CopyFailedException(what + " " + why + " after " + bytesDone + " bytes; "
                + (touched ? partialTarget : "nothing was written to the target"), touched, true, null);
    }
}
