package dev.ferry.messages.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Publishes on its own channel in confirm mode and returns once the broker has confirmed the message: what both
 * processes use to publish (the api-gateway's outbox relay; a data node's transitions, failure replies and parked
 * messages). A mandatory message no queue took (basic.return) fails with {@link UnroutableException}. Unlike
 * {@code waitForConfirmsOrDie}, a nack leaves the channel open, and a confirm that never comes only replaces the
 * channel: a channel the client closed itself would never be recovered. A channel that died while the connection
 * lives on is replaced; during a connection recovery, publishing fails until the connection is back. A batch
 * ({@link #publishOsloBatch}) goes out at once and waits once for all its confirms, saying which were confirmed.
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

    /** One message of a batch: where it goes and its oslo envelope, byte for byte. */
    public record Outgoing(String exchange, String routingKey, byte[] body) {
    }

    /**
     * What the broker said about a batch: the positions of the messages it confirmed and, when that is not all of
     * them, why not ({@code problem}: nacked, not confirmed in time, or not published); null when all were.
     */
    public record BatchOutcome(BitSet confirmed, String problem) {
        public boolean complete() {
            return problem == null;
        }
    }

    private final Connection connection;
    private final Duration confirmTimeout;
    private Channel channel;
    private BatchConfirms confirms;
    private volatile boolean returned;

    public ConfirmPublisher(Connection connection) throws IOException {
        this(connection, CONFIRM_TIMEOUT);
    }

    /** A publisher that waits at most {@code confirmTimeout} for a message's (or a batch's) confirms. */
    public ConfirmPublisher(Connection connection, Duration confirmTimeout) throws IOException {
        this.connection = connection;
        this.confirmTimeout = confirmTimeout;
        this.channel = open();
    }

    private Channel open() throws IOException {
        Channel opened = connection.createChannel();
        opened.confirmSelect();
        opened.addReturnListener(r -> returned = true);
        confirms = new BatchConfirms();
        opened.addConfirmListener(confirms);
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

    /**
     * Publishes every message of {@code batch} (not mandatory, oslo's properties), then waits once, at most the
     * confirm timeout, for the broker's confirms. Fails only when none of them could be published; otherwise says
     * which were confirmed: a nacked one, or one whose confirm did not come in time (the channel is then replaced),
     * is not, and neither is any message after one that could not be published.
     */
    public synchronized BatchOutcome publishOsloBatch(List<Outgoing> batch) throws IOException {
        if (batch.isEmpty()) {
            return new BatchOutcome(new BitSet(), null);
        }
        Channel target;
        BatchConfirms answers;
        try {
            target = channel();
            answers = confirms;
        } catch (RuntimeException e) {
            throw new IOException("cannot publish a batch of " + batch.size() + " messages: " + e.getMessage(), e);
        }
        answers.reset();
        int sent = 0;
        try {
            for (Outgoing message : batch) {
                answers.expect(target.getNextPublishSeqNo(), sent);
                target.basicPublish(message.exchange(), message.routingKey(), false, OsloProperties.plain(),
                        message.body());
                sent++;
            }
        } catch (IOException | RuntimeException e) {
            if (sent == 0) {
                throw new IOException("cannot publish to '" + batch.get(0).routingKey() + "': " + e.getMessage(), e);
            }
            return new BatchOutcome(answers.confirmed(), "cannot publish message " + (sent + 1) + " of "
                    + batch.size() + " (to '" + batch.get(sent).routingKey() + "'): " + e.getMessage());
        }
        try {
            if (!answers.awaitAnswers(confirmTimeout.toMillis())) {
                discardChannel();
                BitSet confirmed = answers.confirmed();
                return new BatchOutcome(confirmed, "the broker did not confirm " + (batch.size()
                        - confirmed.cardinality()) + " of " + batch.size() + " messages within "
                        + confirmTimeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new BatchOutcome(answers.confirmed(), "interrupted while waiting for the broker to confirm a "
                    + "batch of " + batch.size() + " messages");
        }
        BitSet confirmed = answers.confirmed();
        int nacked = batch.size() - confirmed.cardinality();
        return new BatchOutcome(confirmed, nacked == 0 ? null
                : "the broker refused (nacked) " + nacked + " of " + batch.size() + " messages");
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
