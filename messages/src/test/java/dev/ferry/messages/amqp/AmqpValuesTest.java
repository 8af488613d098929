package dev.ferry.messages.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.impl.LongStringHelper;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Headers as the client reads them become plain Java values. */
class AmqpValuesTest {
    @Test
    void longStringsTimestampsTablesAndArraysBecomePlainValues() {
        Map<String, Object> read = Map.of(
                "x-delivery-count", 3L,
                "x-ferry-reason", LongStringHelper.asLongString("cannot be read: åäö"),
                "x-death", List.of(Map.of("queue", LongStringHelper.asLongString("manila-data"), "count", 2L)),
                "at", new Date(0));

        Map<String, Object> plain = AmqpValues.table(read);

        assertEquals(3L, plain.get("x-delivery-count"));
        assertEquals("cannot be read: åäö", plain.get("x-ferry-reason"));
        assertEquals(List.of(Map.of("queue", "manila-data", "count", 2L)), plain.get("x-death"));
        assertEquals(Instant.EPOCH, plain.get("at"));
        assertEquals(Map.of(), AmqpValues.table(null));
    }
}
