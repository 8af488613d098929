package dev.ferry.messages.amqp;

import com.rabbitmq.client.AMQP;
import dev.ferry.messages.OsloEnvelope;
import java.util.Map;

/** The message properties every oslo publish carries (oslo-wire.md §3). */
final class OsloProperties {
    private OsloProperties() {
    }

    static AMQP.BasicProperties plain() {
        return builder().build();
    }

    static AMQP.BasicProperties expiringIn(long millis) {
        return builder().expiration(Long.toString(millis)).build();
    }

    private static AMQP.BasicProperties.Builder builder() {
        return new AMQP.BasicProperties.Builder()
                .contentType(OsloEnvelope.CONTENT_TYPE)
                .contentEncoding(OsloEnvelope.CONTENT_ENCODING)
                .deliveryMode(2)
                .priority(0)
                .headers(Map.of());
    }
}
