package dev.ferry.api.jobs;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.ConfirmPublisher;
import dev.ferry.messages.amqp.Topology;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Publishes outbox casts to RabbitMQ with publisher confirms ({@link ConfirmPublisher}). Connects on first use
 * and again after the connection failed; declares the {@code manila-data} and {@code ferry-data-verify} queues on
 * each new connection, so casts sent before any data node started wait in the queue instead of vanishing as
 * unroutable. A nack or a missing confirm fails that publish only: the publisher keeps or replaces its channel on the same connection.
 */
public final class AmqpOutboxTransport implements OutboxTransport {
    private final AmqpConnector connector;
    private final Topology topology;
    private final String connectionName;
    private Connection connection;
    private ConfirmPublisher publisher;

    public AmqpOutboxTransport(AmqpConnector connector, Topology topology, String connectionName) {
        this.connector = connector;
        this.topology = topology;
        this.connectionName = connectionName;
    }

    @Override
    public synchronized void publish(String exchange, String routingKey, byte[] body) throws IOException {
        try {
            publisher().publishOslo(exchange, routingKey, false, body);
        } catch (IOException | RuntimeException e) {
            if (connection == null || !connection.isOpen()) {
                disconnect();
            }
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private ConfirmPublisher publisher() throws IOException {
        if (connection == null || !connection.isOpen()) {
            disconnect();
            connection = connector.open(connectionName);
            try (Channel channel = connection.createChannel()) {
                topology.declareOsloQueue(channel, DataRpc.TOPIC);
                topology.declareFerryQueue(channel, DataRpc.VERIFY_TOPIC);
            } catch (TimeoutException e) {
                throw new IOException("timed out declaring the " + DataRpc.TOPIC + " and " + DataRpc.VERIFY_TOPIC
                        + " queues", e);
            }
        }
        if (publisher == null) {
            publisher = new ConfirmPublisher(connection);
        }
        return publisher;
    }

    private void disconnect() {
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException ignored) {
                // the connection is already broken; a new one is opened on the next publish
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        disconnect();
    }
}
