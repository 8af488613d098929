package dev.ferry.data;

import java.util.Map;

/**
 * A message from {@code manila-data} as plain values, converted where the job slot reads it: its content type,
 * body and headers (long strings as {@link String}, tables as maps). What handles it sees no AMQP client type.
 */
record ReceivedMessage(String contentType, byte[] body, Map<String, Object> headers) {
    ReceivedMessage {
        headers = headers == null ? Map.of() : headers;
    }
}
