package dev.ferry.cli.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;

/**
 * {@code %failure} in the text pattern: a logged exception as {@code  (cause: ...)} on the line itself, with
 * the stack trace on the lines after it only at DEBUG (see {@link Failure}). Being a throwable-handling
 * converter, it keeps logback from appending the full stack trace to every failure.
 */
public final class FailureConverter extends ThrowableHandlingConverter {
    @Override
    public String convert(ILoggingEvent event) {
        Failure failure = Failure.of(event, (LoggerContext) getContext());
        if (failure == null) {
            return "";
        }
        String line = " (cause: " + failure.causes() + ")";
        return failure.stackTrace() == null ? line : line + CoreConstants.LINE_SEPARATOR + failure.stackTrace();
    }
}
