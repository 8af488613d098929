package dev.ferry.api.jobs;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.CastPublisher;
import dev.ferry.messages.amqp.Topology;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Publishes outbox casts to RabbitMQ with publisher confirms. Connects on first use and again after a
 * failure; declares the {@code manila-data} queue on each new connection, so casts sent before any data
 * node started wait in the queue instead of vanishing as unroutable.
 */
public final class AmqpOutboxTransport implements OutboxTransport {
    private final AmqpConnector connector;
    private final Topology topology;
    private final String connectionName;
    private Connection connection;
    private final Map<String, CastPublisher> publishers = new HashMap<>();

    public AmqpOutboxTransport(AmqpConnector connector, Topology topology, String connectionName) {
        this.connector = connector;
        this.topology = topology;
        this.connectionName = connectionName;
    }

    @Override
    public synchronized void publish(String exchange, String routingKey, byte[] body) throws IOException {
        try {
            publisherFor(exchange).publish(routingKey, body);
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private CastPublisher publisherFor(String exchange) throws IOException {
        if (connection == null || !connection.isOpen()) {
            disconnect();
            connection = connector.open(connectionName);
            try (Channel channel = connection.createChannel()) {
                topology.declareOsloQueue(channel, DataRpc.TOPIC);
            } catch (TimeoutException e) {
                throw new IOException("timed out declaring the " + DataRpc.TOPIC + " queue", e);
            }
        }
        CastPublisher publisher = publishers.get(exchange);
        if (publisher == null) {
            publisher = new CastPublisher(connection, exchange);
            publishers.put(exchange, publisher);
        }
        return publisher;
    }

    private void disconnect() {
        publishers.values().forEach(CastPublisher::close);
        publishers.clear();
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
