package dev.ferry.api.jobs;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.ferry.api.model.OutboxMessage;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.ConfirmPublisher;
import dev.ferry.messages.amqp.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Publishes outbox casts to RabbitMQ with publisher confirms ({@link ConfirmPublisher}). Connects on first use
 * and again after the connection failed; declares the {@code manila-data} and {@code ferry-data-verify} queues on
 * each new connection, so casts sent before any data node started wait in the queue instead of vanishing as
 * unroutable. A batch goes out at once and waits once, at most {@link #CONFIRM_TIMEOUT}, for its confirms (short, since
 * the relay holds the batch's rows locked meanwhile). A nack or a missing confirm leaves those casts unconfirmed only:
 * the publisher keeps or replaces its channel on the same connection.
 */
public final class AmqpOutboxTransport implements OutboxTransport {
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);
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
    public synchronized Confirms publish(List<OutboxMessage> casts) throws IOException {
        List<ConfirmPublisher.Outgoing> batch = new ArrayList<>(casts.size());
        for (OutboxMessage cast : casts) {
            batch.add(new ConfirmPublisher.Outgoing(cast.exchange(), cast.routingKey(), cast.body()));
        }
        try {
            ConfirmPublisher.BatchOutcome outcome = publisher().publishOsloBatch(batch);
            BitSet positions = outcome.confirmed();
            List<OutboxMessage> confirmed = new ArrayList<>(positions.cardinality());
            positions.stream().forEach(position -> confirmed.add(casts.get(position)));
            if (!outcome.complete() && !connection.isOpen()) {
                disconnect();
            }
            return new Confirms(confirmed, outcome.problem());
        } catch (IOException | RuntimeException e) {
            if (connection == null || !connection.isOpen()) {
                disconnect();
            }
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    @Override
    public synchronized void connect() throws IOException {
        try {
            publisher();
        } catch (IOException | RuntimeException e) {
            disconnect();
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
            publisher = new ConfirmPublisher(connection, CONFIRM_TIMEOUT);
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
