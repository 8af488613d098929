package dev.ferry.messages.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Publishes on its own channel in confirm mode and returns once the broker has confirmed the message: what both
 * processes use to publish (the api-gateway's outbox relay; a data node's transitions, failure replies and parked
 * messages). A mandatory message no queue took (basic.return) fails with {@link UnroutableException}. Unlike
 * {@code waitForConfirmsOrDie}, a nack leaves the channel open, and a confirm that never comes only replaces the
 * channel: a channel the client closed itself would never be recovered. A channel that died while the connection
 * lives on is replaced; during a connection recovery, publishing fails until the connection is back.
 */
public final class ConfirmPublisher implements AutoCloseable {
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    /** What may be done with the publisher's channel besides publishing (declarations). */
    @FunctionalInterface
    public interface ChannelTask {
        void run(Channel channel) throws IOException;
    }

    /** No queue took a mandatory message. */
    public static final class UnroutableException extends IOException {
        private static final long serialVersionUID = 1L;

        UnroutableException(String message) {
            super(message);
        }
    }

    private final Connection connection;
    private final Duration confirmTimeout;
    private Channel channel;
    private volatile boolean returned;

    public ConfirmPublisher(Connection connection) throws IOException {
        this(connection, CONFIRM_TIMEOUT);
    }

    ConfirmPublisher(Connection connection, Duration confirmTimeout) throws IOException {
        this.connection = connection;
        this.confirmTimeout = confirmTimeout;
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

    /** Publishes a body in oslo's envelope with the properties every oslo publish carries (oslo-wire.md §3). */
    public void publishOslo(String exchange, String routingKey, boolean mandatory, byte[] body) throws IOException {
        publish(exchange, routingKey, mandatory, OsloProperties.plain(), body);
    }

    /**
     * Publishes and waits for the broker's confirm; fails when the broker nacks the message, does not confirm it
     * within 10 s, or (when {@code mandatory}) routes it to no queue.
     */
    public synchronized void publish(String exchange, String routingKey, boolean mandatory,
                                     AMQP.BasicProperties properties, byte[] body) throws IOException {
        String where = "'" + routingKey + "'" + (exchange.isEmpty() ? "" : " on exchange '" + exchange + "'");
        try {
            Channel target = channel();
            returned = false;
            target.basicPublish(exchange, routingKey, mandatory, properties, body);
            if (!target.waitForConfirms(confirmTimeout.toMillis())) {
                throw new IOException("the broker refused (nacked) a message to " + where);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the broker to confirm a message to " + where, e);
        } catch (TimeoutException e) {
            discardChannel();
            throw new IOException("the broker did not confirm a message to " + where + " within "
                    + confirmTimeout.toMillis() + " ms", e);
        } catch (RuntimeException e) {
            throw new IOException("cannot publish to " + where + ": " + e.getMessage(), e);
        }
        if (returned) {
            throw new UnroutableException("no queue took the message to " + where);
        }
    }

    /** Runs {@code task} on the publisher's channel (opened again if it died), between publishes. */
    public synchronized void withChannel(ChannelTask task) throws IOException {
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
