package dev.ferry.data;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Publishes on its own channel in confirm mode and returns once the broker has confirmed; a mandatory
 * message no queue took (basic.return) fails with {@link UnroutableException}. A channel that died while
 * the connection lives on is replaced; during a connection recovery, publishing fails until it is back.
 */
final class ConfirmedPublisher implements AutoCloseable {
    private static final long CONFIRM_TIMEOUT_MS = 10_000;

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
        if (!channel.isOpen() && connection.isOpen()) {
            channel = open();
        }
        return channel;
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
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // closing on shutdown
        }
    }
}
