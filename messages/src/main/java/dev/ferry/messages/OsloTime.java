package dev.ferry.messages;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Datetimes as oslo's JSON writes them: {@code 2026-11-24T12:00:00.123456}, naive UTC. */
public final class OsloTime {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private OsloTime() {
    }

    public static String format(LocalDateTime time) {
        return time == null ? null : FORMAT.format(time);
    }

    public static LocalDateTime parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
