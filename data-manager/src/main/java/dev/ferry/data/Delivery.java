package dev.ferry.data;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Envelope;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One delivery from {@code manila-data}, with the channel that must ack it and whether it was acked or
 * returned already (exactly one of them must happen, or the channel's single prefetch slot stays taken).
 */
record Delivery(Channel channel, Envelope envelope, AMQP.BasicProperties properties, byte[] body,
                AtomicBoolean settled) {
    Delivery(Channel channel, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        this(channel, envelope, properties, body, new AtomicBoolean());
    }

    long tag() {
        return envelope.getDeliveryTag();
    }

    Map<String, Object> headers() {
        return properties.getHeaders() == null ? Map.of() : properties.getHeaders();
    }
}
