package dev.ferry.messages.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.ferry.messages.RpcRequest;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Publishes oslo casts to the control exchange and waits for the broker's confirm, as oslo does;
 * a publish that returns has been taken by the broker.
 */
public final class CastPublisher implements AutoCloseable {
    private static final long CONFIRM_TIMEOUT_MS = 10_000;
    private final Channel channel;
    private final String exchange;

    public CastPublisher(Connection connection, String exchange) throws IOException {
        this.channel = connection.createChannel();
        this.channel.confirmSelect();
        this.exchange = exchange;
    }

    public synchronized void cast(String routingKey, RpcRequest request) throws IOException {
        publish(routingKey, request.toBytes());
    }

    /** Publishes a body already in oslo's envelope (e.g. an outbox row). */
    public synchronized void publish(String routingKey, byte[] body) throws IOException {
        channel.basicPublish(exchange, routingKey, false, OsloProperties.plain(), body);
        try {
            channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the broker to confirm a cast", e);
        } catch (TimeoutException e) {
            throw new IOException("the broker did not confirm a cast to '" + routingKey + "' within "
                    + CONFIRM_TIMEOUT_MS + " ms", e);
        }
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // closing on shutdown; nothing left to do
        }
    }
}
