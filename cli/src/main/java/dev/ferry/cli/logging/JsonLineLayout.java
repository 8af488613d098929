package dev.ferry.cli.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code FERRY_LOG_FORMAT=json}: one JSON object per line with {@code timestamp} (ISO 8601 with the zone
 * offset), {@code level}, {@code logger}, {@code thread}, {@code message}, {@code request_id} (null when the
 * line belongs to no request) and every other MDC key set where the line was logged ({@code job_id},
 * {@code backup_id}, {@code share_id} while a job runs). A logged exception adds {@code error} (its cause
 * chain on one line) and, only at DEBUG, {@code stack_trace}.
 */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneId.systemDefault());

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "timestamp", TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())));
        field(json, "level", event.getLevel().toString());
        field(json, "logger", event.getLoggerName());
        field(json, "thread", event.getThreadName());
        field(json, "message", event.getFormattedMessage());
        Map<String, String> mdc = new TreeMap<>(event.getMDCPropertyMap());
        field(json, "request_id", mdc.remove("request_id"));
        mdc.forEach((key, value) -> field(json, key, value));
        Failure failure = Failure.of(event, (LoggerContext) getContext());
        if (failure != null) {
            field(json, "error", failure.causes());
            if (failure.stackTrace() != null) {
                field(json, "stack_trace", failure.stackTrace());
            }
        }
        return json.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
    }

    private static void field(StringBuilder json, String name, String value) {
        if (json.length() > 1) {
            json.append(',');
        }
        string(json, name);
        json.append(':');
        if (value == null) {
            json.append("null");
        } else {
            string(json, value);
        }
    }

    private static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
