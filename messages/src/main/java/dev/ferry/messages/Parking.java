package dev.ferry.messages;

/**
 * The parking queue: a message a data node cannot process (bad JSON, wrong content type, unknown
 * method, unsupported version, wrong arguments, too many deliveries) is moved, bytes and properties
 * unchanged, to the durable queue {@code ferry-parked} with these headers saying why, when, and where
 * it came from. An operator lists, inspects, replays (to its original exchange and routing key) or
 * purges parked messages through the api-gateway's admin API.
 */
public final class Parking {
    public static final String QUEUE = "ferry-parked";
    /** A uuid naming this parked message (operators select messages by it). */
    public static final String ID = "x-ferry-parked-id";
    /** Why it was parked, in words an operator can act on. */
    public static final String REASON = "x-ferry-parked-reason";
    /** When, ISO-8601 UTC. */
    public static final String AT = "x-ferry-parked-at";
    /** Which node parked it. */
    public static final String BY = "x-ferry-parked-by";
    public static final String ORIGINAL_EXCHANGE = "x-ferry-original-exchange";
    public static final String ORIGINAL_ROUTING_KEY = "x-ferry-original-routing-key";
    public static final String ORIGINAL_QUEUE = "x-ferry-original-queue";
    /**
     * Deliveries counted by Ferry itself on classic queues (which have no x-delivery-count): a node
     * that returns a cast to its queue republishes it with this header incremented.
     */
    public static final String DELIVERIES = "x-ferry-deliveries";
    /** Set by RabbitMQ on quorum queues: how many times the message was returned before. */
    public static final String BROKER_DELIVERY_COUNT = "x-delivery-count";

    private Parking() {
    }
}
