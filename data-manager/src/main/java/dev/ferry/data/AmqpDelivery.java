package dev.ferry.data;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Envelope;
import dev.ferry.messages.amqp.AmqpValues;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One delivery from {@code manila-data} as the client gave it to a {@link JobSlot}, with the channel that must
 * ack it and whether it was acked or returned already (exactly one of them must happen, or the channel's single
 * prefetch slot stays taken). {@link #message()} is what the {@link CastHandler} reads.
 */
record AmqpDelivery(Channel channel, Envelope envelope, AMQP.BasicProperties properties, byte[] body,
                    AtomicBoolean settled) {
    AmqpDelivery(Channel channel, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        this(channel, envelope, properties, body, new AtomicBoolean());
    }

    long tag() {
        return envelope.getDeliveryTag();
    }

    /** The message as plain values: no AMQP client type past this point. */
    ReceivedMessage message() {
        return new ReceivedMessage(properties.getContentType(), body, AmqpValues.table(properties.getHeaders()));
    }
}
