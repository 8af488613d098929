package dev.ferry.messages.amqp;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;

/**
 * Declarations with exactly oslo's flags (oslo-wire.md §2, §11): a mismatch with an oslo peer is a
 * 406 for everyone, so nothing here adds arguments an oslo peer would not send.
 *
 * <p>A broker user without configure permission (the least-privilege data-node user of
 * {@code deploy/rabbitmq/definitions.json}) uses {@link #checkingOnly()}: the exchange and the topic queues
 * are then only checked (passive declarations), never declared or bound; the api-gateway or the imported
 * definitions declare them. Reply queues are always declared: they are the caller's own.
 */
public final class Topology {
    private final AmqpSettings settings;
    private final boolean declares;

    public Topology(AmqpSettings settings) {
        this(settings, true);
    }

    private Topology(AmqpSettings settings, boolean declares) {
        this.settings = settings;
        this.declares = declares;
    }

    /** The same topology for a broker user that may not declare it: exchange and topic queues are only checked. */
    public Topology checkingOnly() {
        return new Topology(settings, false);
    }

    /** False when this topology only checks that the exchange and topic queues exist. */
    public boolean declares() {
        return declares;
    }

    public String exchange() {
        return settings.exchange();
    }

    public void declareExchange(Channel channel) throws IOException {
        if (!declares) {
            check(() -> channel.exchangeDeclarePassive(settings.exchange()), "exchange", settings.exchange());
            return;
        }
        channel.exchangeDeclare(settings.exchange(), "topic", settings.quorum(), false, false, null);
    }

    /** A topic queue shared with oslo peers (e.g. {@code manila-data}), bound by its own name. */
    public void declareOsloQueue(Channel channel, String name) throws IOException {
        declareExchange(channel);
        if (!declares) {
            checkQueue(channel, name);
            return;
        }
        if (settings.quorum()) {
            channel.queueDeclare(name, true, false, false, Map.of("x-queue-type", "quorum"));
        } else {
            channel.queueDeclare(name, false, false, false, null);
        }
        channel.queueBind(name, settings.exchange(), name);
    }

    /**
     * One of Ferry's own queues ({@code ferry-*}): always durable, since no oslo peer declares them
     * and their messages (claims, transitions) must survive a broker restart.
     */
    public void declareFerryQueue(Channel channel, String name) throws IOException {
        declareExchange(channel);
        if (!declares) {
            checkQueue(channel, name);
            return;
        }
        channel.queueDeclare(name, true, false, false,
                settings.quorum() ? Map.of("x-queue-type", "quorum") : null);
        channel.queueBind(name, settings.exchange(), name);
    }

    /** A caller's reply queue, as oslo declares it: transient, expiring 30 min after last use. */
    public void declareReplyQueue(Channel channel, String name) throws IOException {
        channel.queueDeclare(name, false, false, false, Map.of("x-expires", 1_800_000));
    }

    private void checkQueue(Channel channel, String name) throws IOException {
        check(() -> channel.queueDeclarePassive(name), "queue", name);
    }

    private interface Passive {
        void run() throws IOException;
    }

    /** A passive declaration; a missing entity (404) becomes an error that says who declares it. */
    private static void check(Passive declaration, String kind, String name) throws IOException {
        try {
            declaration.run();
        } catch (IOException e) {
            throw new IOException("the " + kind + " '" + name + "' does not exist on the broker, and this broker user "
                    + "may not declare it: start an api-gateway (it declares Ferry's queues) or import "
                    + "deploy/rabbitmq/definitions.json (" + e.getMessage() + ")", e);
        }
    }
}
