package dev.ferry.messages.amqp;

import com.rabbitmq.client.LongString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns AMQP field values, as the client reads them, into plain Java values, where a message is read: long
 * strings become {@link String}, timestamps {@link java.time.Instant}, tables and arrays maps and lists of plain
 * values; numbers, booleans, decimals and byte arrays stay as they are. What reads a message past that point
 * sees no AMQP client type.
 */
public final class AmqpValues {
    private AmqpValues() {
    }

    /** A message's headers as plain values; an empty map when it has none. */
    public static Map<String, Object> table(Map<String, Object> table) {
        if (table == null) {
            return Map.of();
        }
        Map<String, Object> plain = new LinkedHashMap<>();
        table.forEach((name, value) -> plain.put(name, value(value)));
        return Collections.unmodifiableMap(plain);
    }

    public static Object value(Object value) {
        if (value instanceof LongString text) {
            return new String(text.getBytes(), StandardCharsets.UTF_8);
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof Map<?, ?> nested) {
            Map<String, Object> plain = new LinkedHashMap<>();
            nested.forEach((name, v) -> plain.put(String.valueOf(name), value(v)));
            return Collections.unmodifiableMap(plain);
        }
        if (value instanceof List<?> list) {
            List<Object> plain = new ArrayList<>(list.size());
            list.forEach(v -> plain.add(value(v)));
            return Collections.unmodifiableList(plain);
        }
        return value;
    }
}
