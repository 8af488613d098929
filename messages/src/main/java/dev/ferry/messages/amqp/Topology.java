package dev.ferry.messages.amqp;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;

/**
 * Declarations with exactly oslo's flags (oslo-wire.md §2, §11): a mismatch with an oslo peer is a
 * 406 for everyone, so nothing here adds arguments an oslo peer would not send.
 */
public final class Topology {
    private final AmqpSettings settings;

    public Topology(AmqpSettings settings) {
        this.settings = settings;
    }

    public String exchange() {
        return settings.exchange();
    }

    public void declareExchange(Channel channel) throws IOException {
        channel.exchangeDeclare(settings.exchange(), "topic", settings.quorum(), false, false, null);
    }

    /** A topic queue shared with oslo peers (e.g. {@code manila-data}), bound by its own name. */
    public void declareOsloQueue(Channel channel, String name) throws IOException {
        declareExchange(channel);
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
        channel.queueDeclare(name, true, false, false,
                settings.quorum() ? Map.of("x-queue-type", "quorum") : null);
        channel.queueBind(name, settings.exchange(), name);
    }

    /** A caller's reply queue, as oslo declares it: transient, expiring 30 min after last use. */
    public void declareReplyQueue(Channel channel, String name) throws IOException {
        channel.queueDeclare(name, false, false, false, Map.of("x-expires", 1_800_000));
    }
}
