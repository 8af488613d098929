package dev.ferry.messages.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.ferry.messages.RpcRequest;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Publishes oslo casts to the control exchange and waits for the broker's confirm, as oslo does;
 * a publish that returns has been taken by the broker. A nack, a confirm timeout or a broker restart
 * closes the channel; the next publish opens a fresh one on the (self-recovering) connection.
 */
public final class CastPublisher implements AutoCloseable {
    private static final long CONFIRM_TIMEOUT_MS = 10_000;
    private final Connection connection;
    private final String exchange;
    private Channel channel;

    public CastPublisher(Connection connection, String exchange) throws IOException {
        this.connection = connection;
        this.exchange = exchange;
        openChannel();
    }

    private Channel openChannel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = connection.createChannel();
            channel.confirmSelect();
        }
        return channel;
    }

    public synchronized void cast(String routingKey, RpcRequest request) throws IOException {
        publish(routingKey, request.toBytes());
    }

    /** Publishes a body already in oslo's envelope (e.g. an outbox row). */
    public synchronized void publish(String routingKey, byte[] body) throws IOException {
        try {
            Channel open = openChannel();
            open.basicPublish(exchange, routingKey, false, OsloProperties.plain(), body);
            open.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the broker to confirm a cast", e);
        } catch (TimeoutException e) {
            throw new IOException("the broker did not confirm a cast to '" + routingKey + "' within "
                    + CONFIRM_TIMEOUT_MS + " ms", e);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e instanceof IOException io ? io
                    : new IOException("cannot publish a cast to '" + routingKey + "': " + e.getMessage(), e);
        }
    }

    private void closeQuietly() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // the channel is being replaced
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
