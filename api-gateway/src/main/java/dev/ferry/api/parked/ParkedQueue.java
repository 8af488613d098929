package dev.ferry.api.parked;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import dev.ferry.messages.Parking;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Lists, shows, replays and purges the messages in {@code ferry-parked}. Each operation opens its own
 * connection and takes messages with {@code basic.get} without acking them; only a replayed (once the
 * broker confirmed the copy) or purged message is acked. Closing the connection gives every other message
 * back to the queue, so looking never loses anything. At most {@link #MAX_SCAN} messages are looked at per
 * operation. Operations of one api-gateway run one at a time, so they do not hide messages from each other.
 */
public final class ParkedQueue {
    private static final Logger LOG = LoggerFactory.getLogger(ParkedQueue.class);
    public static final int MAX_SCAN = 10_000;
    private static final long CONFIRM_TIMEOUT_MS = 10_000;
    private final AmqpConnector connector;
    private final Topology topology;
    private final String connectionName;

    public ParkedQueue(AmqpConnector connector, Topology topology, String connectionName) {
        this.connector = connector;
        this.topology = topology;
        this.connectionName = connectionName;
    }

    /** What is parked, in queue order; {@code truncated} when there may be more than {@link #MAX_SCAN}. */
    public record Listing(List<ParkedMessage> messages, boolean truncated) {
    }

    /** A selected message that could not be replayed, and why; it stays parked. */
    public record Failure(String id, String reason) {
    }

    public record Replayed(List<String> replayed, List<String> notFound, List<Failure> failed) {
    }

    public record Purged(List<String> purged, List<String> notFound) {
    }

    public synchronized Listing list() {
        return session((connection, channel) -> {
            List<ParkedMessage> messages = new ArrayList<>();
            GetResponse response;
            while (messages.size() < MAX_SCAN && (response = channel.basicGet(Parking.QUEUE, false)) != null) {
                messages.add(new ParkedMessage(response.getProps(), response.getBody()));
            }
            return new Listing(messages, messages.size() >= MAX_SCAN);
        });
    }

    public synchronized Optional<ParkedMessage> find(String id) {
        return session((connection, channel) -> {
            GetResponse response;
            int scanned = 0;
            while (scanned++ < MAX_SCAN && (response = channel.basicGet(Parking.QUEUE, false)) != null) {
                ParkedMessage message = new ParkedMessage(response.getProps(), response.getBody());
                if (message.id().equals(id)) {
                    return Optional.of(message);
                }
            }
            return Optional.empty();
        });
    }

    /**
     * Publishes each selected message to its original exchange and routing key with its original
     * properties (publisher confirms, mandatory), then removes it from the parking queue. A message the
     * broker cannot route stays parked and is reported as failed.
     */
    public synchronized Replayed replay(Selection selection) {
        return session((connection, channel) -> {
            List<String> replayed = new ArrayList<>();
            List<Failure> failed = new ArrayList<>();
            Set<String> seen = scan(channel, selection, (tag, message) -> {
                String failure = republish(connection, message);
                if (failure == null) {
                    channel.basicAck(tag, false);
                    replayed.add(message.id());
                    LOG.info("replayed parked message {} ({}) to {}/{}", message.id(), message.method(),
                            message.originalExchange(), message.originalRoutingKey());
                } else {
                    failed.add(new Failure(message.id(), failure));
                    LOG.warn("parked message {} was not replayed: {}", message.id(), failure);
                }
            }, replayed);
            return new Replayed(replayed, notFound(selection, seen), failed);
        });
    }

    /** Removes each selected message from the parking queue for good. */
    public synchronized Purged purge(Selection selection) {
        return session((connection, channel) -> {
            List<String> purged = new ArrayList<>();
            Set<String> seen = scan(channel, selection, (tag, message) -> {
                channel.basicAck(tag, false);
                purged.add(message.id());
                LOG.info("purged parked message {} ({}, parked because: {})", message.id(), message.method(),
                        message.reason());
            }, purged);
            return new Purged(purged, notFound(selection, seen));
        });
    }

    @FunctionalInterface
    private interface Action {
        void apply(long deliveryTag, ParkedMessage message) throws IOException;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection, Channel channel) throws IOException;
    }

    /** Applies {@code action} to each selected message; returns the selected ids it met. */
    private Set<String> scan(Channel channel, Selection selection, Action action, List<String> done)
            throws IOException {
        Set<String> seen = new LinkedHashSet<>();
        GetResponse response;
        int scanned = 0;
        try {
            while (!selection.coveredBy(seen) && scanned++ < MAX_SCAN
                    && (response = channel.basicGet(Parking.QUEUE, false)) != null) {
                ParkedMessage message = new ParkedMessage(response.getProps(), response.getBody());
                if (selection.includes(message.id())) {
                    seen.add(message.id());
                    long tag = response.getEnvelope().getDeliveryTag();
                    withRequestId(message, () -> action.apply(tag, message));
                }
            }
        } catch (IOException | ShutdownSignalException e) {
            throw new BrokerUnavailableException("the broker went away part-way"
                    + (done.isEmpty() ? "; nothing was changed" : " after these messages were handled: " + done
                    + "; the others stay parked") + " (" + e.getMessage() + "). Retry later.", e);
        }
        return seen;
    }

    private static void withRequestId(ParkedMessage message, IoRunnable work) throws IOException {
        String previous = MDC.get("request_id");
        String requestId = message.requestId();
        if (requestId != null) {
            MDC.put("request_id", requestId);
        }
        try {
            work.run();
        } finally {
            if (previous == null) {
                MDC.remove("request_id");
            } else {
                MDC.put("request_id", previous);
            }
        }
    }

    @FunctionalInterface
    private interface IoRunnable {
        void run() throws IOException;
    }

    private static List<String> notFound(Selection selection, Set<String> seen) {
        return selection.ids().stream().filter(id -> !seen.contains(id)).distinct().toList();
    }

    /** Null when the broker confirmed the copy and routed it; else why not (the message stays parked). */
    private static String republish(Connection connection, ParkedMessage message) throws IOException {
        String exchange = message.originalExchange();
        String routingKey = message.originalRoutingKey();
        if (exchange == null || routingKey == null) {
            return "it has no " + Parking.ORIGINAL_EXCHANGE + " or " + Parking.ORIGINAL_ROUTING_KEY
                    + " header, so Ferry does not know where it came from; purge it, or publish its body by hand";
        }
        Channel publisher = connection.createChannel();
        AtomicReference<String> returned = new AtomicReference<>();
        publisher.addReturnListener(r -> returned.set(r.getReplyText()));
        try {
            publisher.confirmSelect();
            publisher.basicPublish(exchange, routingKey, true, message.originalProperties(), message.body());
            publisher.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        } catch (ShutdownSignalException | IOException e) {
            if (!connection.isOpen()) {
                throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            return "the broker refused it (" + reason(e) + "); check that exchange '" + exchange + "' exists";
        } catch (TimeoutException e) {
            return "the broker did not confirm the copy within " + CONFIRM_TIMEOUT_MS / 1000 + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for the broker's confirm";
        } finally {
            closeQuietly(publisher);
        }
        if (returned.get() != null) {
            return "the broker could not route it (" + returned.get() + "): no queue is bound to exchange '" + exchange
                    + "' with routing key '" + routingKey + "'; declare that queue (start a consumer) and replay again";
        }
        return null;
    }

    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException signal && signal.getReason() != null) {
                return signal.getMessage();
            }
        }
        return e.getMessage();
    }

    private <T> T session(Work<T> work) {
        Connection connection;
        try {
            connection = connector.open(connectionName);
        } catch (IOException e) {
            throw new BrokerUnavailableException("RabbitMQ is not reachable right now (" + e.getMessage()
                    + "); nothing was changed. Retry later.", e);
        }
        try {
            Channel channel = connection.createChannel();
            topology.declareFerryQueue(channel, Parking.QUEUE);
            return work.run(connection, channel);
        } catch (IOException | ShutdownSignalException e) {
            String reason = reason(e);
            String advice = reason != null && reason.contains("PRECONDITION_FAILED")
                    ? " Queue " + Parking.QUEUE + " exists with other arguments than this api-gateway declares: set "
                    + "FERRY_AMQP_QUORUM as on the data nodes."
                    : " Retry later.";
            throw new BrokerUnavailableException("RabbitMQ failed while reading " + Parking.QUEUE + " (" + reason
                    + "); nothing was changed." + advice, e);
        } finally {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the parked-queue connection failed: {}", e.toString());
            }
        }
    }

    private static void closeQuietly(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // the channel is gone either way
        }
    }
}
