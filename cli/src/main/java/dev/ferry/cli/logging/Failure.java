package dev.ferry.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;

/**
 * How a log line shows the exception it carries: always its cause chain on the same line ({@code
 * IOException: cannot connect ...; caused by ConnectException: Connection refused}), and the stack trace only
 * when the logger it was logged on is at DEBUG or finer ({@code FERRY_LOG_LEVEL=DEBUG}).
 */
record Failure(String causes, String stackTrace) {

    /** The failure of {@code event}, or null when it carries none. */
    static Failure of(ILoggingEvent event, LoggerContext context) {
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown == null) {
            return null;
        }
        StringBuilder causes = new StringBuilder();
        for (IThrowableProxy t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (causes.length() > 0) {
                causes.append("; caused by ");
            }
            String type = t.getClassName();
            causes.append(type.substring(type.lastIndexOf('.') + 1));
            if (t.getMessage() != null) {
                causes.append(": ").append(t.getMessage().replace('\n', ' '));
            }
        }
        boolean debug = context != null
                && context.getLogger(event.getLoggerName()).isEnabledFor(Level.DEBUG);
        return new Failure(causes.toString(), debug ? stackTrace(thrown) : null);
    }

    private static String stackTrace(IThrowableProxy thrown) {
        String text = ThrowableProxyUtil.asString(thrown);
        return text.endsWith(CoreConstants.LINE_SEPARATOR)
                ? text.substring(0, text.length() - CoreConstants.LINE_SEPARATOR.length()) : text;
    }
}
