package dev.ferry.data;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.ferry.messages.OsloEnvelope;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Publishes on its own channel in confirm mode and returns once the broker has confirmed; a mandatory
 * message no queue took (basic.return) fails with {@link UnroutableException}. Unlike
 * {@code waitForConfirmsOrDie}, a nack leaves the channel open, and a confirm that never comes only
 * replaces the channel: a channel the client closed itself would never be recovered. A channel that died
 * while the connection lives on is replaced; during a connection recovery, publishing fails until it is
 * back.
 */
final class ConfirmedPublisher implements AutoCloseable {
    private static final long CONFIRM_TIMEOUT_MS = 10_000;
    /** The properties every oslo publish carries (oslo-wire.md §3). */
    static final AMQP.BasicProperties OSLO_PROPERTIES = new AMQP.BasicProperties.Builder()
            .contentType(OsloEnvelope.CONTENT_TYPE)
            .contentEncoding(OsloEnvelope.CONTENT_ENCODING)
            .deliveryMode(2)
            .priority(0)
            .headers(Map.of())
            .build();

    /** What may be done with the publisher's channel besides publishing (declarations). */
    @FunctionalInterface
    interface ChannelTask {
        void run(Channel channel) throws IOException;
    }

    /** No queue took a mandatory message. */
    static final class UnroutableException extends IOException {
        private static final long serialVersionUID = 1L;

        UnroutableException(String message) {
            super(message);
        }
    }

    private final Connection connection;
    private Channel channel;
    private volatile boolean returned;

    ConfirmedPublisher(Connection connection) throws IOException {
        this.connection = connection;
        this.channel = open();
    }

    private Channel open() throws IOException {
        Channel opened = connection.createChannel();
        opened.confirmSelect();
        opened.addReturnListener(r -> returned = true);
        return opened;
    }

    private Channel channel() throws IOException {
        if (channel == null || !channel.isOpen() && connection.isOpen()) {
            channel = open();
        }
        return channel;
    }

    /** Drops a channel whose confirms are in doubt; the next publish opens a fresh one. */
    private void discardChannel() {
        Channel doubtful = channel;
        channel = null;
        try {
            doubtful.close();
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // it is being replaced
        }
    }

    synchronized void publish(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties properties,
                              byte[] body) throws IOException {
        String where = "'" + routingKey + "'" + (exchange.isEmpty() ? "" : " on exchange '" + exchange + "'");
        try {
            Channel target = channel();
            returned = false;
            target.basicPublish(exchange, routingKey, mandatory, properties, body);
            if (!target.waitForConfirms(CONFIRM_TIMEOUT_MS)) {
                throw new IOException("the broker refused (nacked) a message to " + where);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the broker to confirm a message to " + where, e);
        } catch (TimeoutException e) {
            discardChannel();
            throw new IOException("the broker did not confirm a message to " + where + " within "
                    + CONFIRM_TIMEOUT_MS + " ms", e);
        } catch (RuntimeException e) {
            throw new IOException("cannot publish to " + where + ": " + e.getMessage(), e);
        }
        if (returned) {
            throw new UnroutableException("no queue took the message to " + where);
        }
    }

    synchronized void withChannel(ChannelTask task) throws IOException {
        try {
            task.run(channel());
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // closing on shutdown
        }
    }
}
