package dev.ferry.api.jobs;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.ferry.messages.amqp.AmqpConnector;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the broker how many messages a queue holds ready for delivery and how many consumers it has, with a passive
 * declare on a connection of its own (opened on first use, opened again after it dropped). Thread-safe.
 */
public final class BrokerQueueCounts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerQueueCounts.class);
    private final AmqpConnector broker;
    private final String connectionName;
    private Connection connection;
    private boolean closed;

    /** What a passive declare tells of a queue: messages ready for delivery (not the unacknowledged), consumers. */
    public record Counts(long ready, long consumers) {
    }

    public BrokerQueueCounts(AmqpConnector broker, String connectionName) {
        this.broker = broker;
        this.connectionName = connectionName;
    }

    /**
     * The queue's counts; empty when it does not exist (yet). Throws when the broker cannot be asked; the connection
     * is then closed, and the next call opens a new one. After {@link #close} it only throws.
     */
    public synchronized Optional<Counts> of(String queue) throws IOException {
        if (closed) {
            throw new IOException("no longer asking the broker: closed");
        }
        try {
            if (connection == null || !connection.isOpen()) {
                closeConnection();
                connection = broker.open(connectionName);
            }
            return passive(queue).map(ok -> new Counts(ok.getMessageCount(), ok.getConsumerCount()));
        } catch (IOException | RuntimeException e) {
            closeConnection();
            throw e;
        }
    }

    /** A passive declare closes its channel when the queue is missing: each gets a channel of its own. */
    private Optional<AMQP.Queue.DeclareOk> passive(String queue) throws IOException {
        Channel channel = connection.createChannel();
        try {
            return Optional.of(channel.queueDeclarePassive(queue));
        } catch (IOException missing) {
            if (!connection.isOpen()) {
                throw missing;
            }
            LOG.debug("queue {} not found: {}", queue, missing.toString());
            return Optional.empty();
        } finally {
            if (channel.isOpen()) {
                try {
                    channel.close();
                } catch (IOException | TimeoutException | RuntimeException ignored) {
                    // closed meanwhile
                }
            }
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException ignored) {
                // already gone
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeConnection();
    }
}
