package dev.ferry.data;

import com.rabbitmq.client.AMQP;
import dev.ferry.messages.Parking;
import dev.ferry.messages.amqp.ConfirmPublisher;
import dev.ferry.messages.amqp.Topology;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a delivery this node cannot process to the durable queue {@code ferry-parked}: the same body and
 * properties, plus headers saying why, when, by whom and from where ({@link Parking}), published through the
 * control exchange with routing key {@code ferry-parked} (the data-node broker user may publish there, never to
 * the default exchange) and confirmed by the broker. The caller acks the original only after this returns. Part of
 * the job slots' AMQP shell: it copies the delivery's AMQP properties.
 */
final class ParkingLot {
    private static final Logger LOG = LoggerFactory.getLogger(ParkingLot.class);
    /** The original per-message TTL, kept for the record: a parked message must not expire. */
    static final String ORIGINAL_EXPIRATION = "x-ferry-original-expiration";

    private final ConfirmPublisher publisher;
    private final Topology topology;
    private final String node;
    private final Clock clock;

    ParkingLot(ConfirmPublisher publisher, Topology topology, String node, Clock clock) {
        this.publisher = publisher;
        this.topology = topology;
        this.node = node;
        this.clock = clock;
    }

    /** Parks the delivery, taken from {@code queue}; returns the parked message's id. */
    String park(AmqpDelivery delivery, String queue, String reason) throws IOException {
        String id = UUID.randomUUID().toString();
        AMQP.BasicProperties properties = parkedProperties(delivery.properties(), id, reason, Instant.now(clock), node,
                delivery.envelope().getExchange(), delivery.envelope().getRoutingKey(), queue);
        try {
            publisher.publish(topology.exchange(), Parking.QUEUE, true, properties, delivery.body());
        } catch (ConfirmPublisher.UnroutableException e) {
            // the queue went away (a broker reset without definitions): declare it again (or, for a user that
            // may not, check that a gateway did) and retry once
            publisher.withChannel(channel -> topology.declareFerryQueue(channel, Parking.QUEUE));
            publisher.publish(topology.exchange(), Parking.QUEUE, true, properties, delivery.body());
        }
        LOG.error("parked message {}: {}", id, reason);
        return id;
    }

    /**
     * The parked copy's properties: the original ones with the parking headers added. Unchanged otherwise,
     * except that a parked message never expires (the TTL moves to {@value #ORIGINAL_EXPIRATION}), is
     * persistent, and drops the delivery counts, so that a replayed message starts counting afresh.
     */
    static AMQP.BasicProperties parkedProperties(AMQP.BasicProperties original, String id, String reason, Instant at,
                                                 String node, String exchange, String routingKey, String queue) {
        Map<String, Object> headers = new LinkedHashMap<>(original.getHeaders() == null ? Map.of()
                : original.getHeaders());
        headers.remove(Parking.BROKER_DELIVERY_COUNT);
        headers.remove(Parking.DELIVERIES);
        if (original.getExpiration() != null) {
            headers.put(ORIGINAL_EXPIRATION, original.getExpiration());
        }
        headers.put(Parking.ID, id);
        headers.put(Parking.REASON, reason);
        headers.put(Parking.AT, at.truncatedTo(ChronoUnit.MILLIS).toString());
        headers.put(Parking.BY, node);
        headers.put(Parking.ORIGINAL_EXCHANGE, exchange);
        headers.put(Parking.ORIGINAL_ROUTING_KEY, routingKey);
        headers.put(Parking.ORIGINAL_QUEUE, queue);
        return original.builder().headers(headers).expiration(null).deliveryMode(2).build();
    }
}
