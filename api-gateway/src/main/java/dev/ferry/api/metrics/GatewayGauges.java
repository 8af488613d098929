package dev.ferry.api.metrics;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.OutboxRepository;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.jobs.BrokerQueueCounts;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.Parking;
import dev.ferry.messages.amqp.AmqpConnector;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The api-gateway's gauges that cost a query: outbox backlog, data nodes up, and the depth and consumers of
 * {@code manila-data}, {@code ferry-data-verify} and {@code ferry-parked}. One thread refreshes them every
 * {@link #DEFAULT_INTERVAL} (a scrape reads the last values and costs nothing); a refresh that fails keeps the last
 * values and says why at DEBUG. The broker is asked with passive declares on a connection of its own
 * ({@link BrokerQueueCounts}).
 */
public final class GatewayGauges implements AutoCloseable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(GatewayGauges.class);
    private static final List<String> QUEUES = List.of(DataRpc.TOPIC, DataRpc.VERIFY_TOPIC);
    private final Database db;
    private final OutboxRepository outbox;
    private final IntSupplier dataNodesUp;
    private final BrokerQueueCounts broker;
    private final Clock clock;
    private final Duration interval;
    private final AtomicLong outboxPending = new AtomicLong();
    private final AtomicLong outboxOldestAgeSeconds = new AtomicLong();
    private final AtomicLong nodesUp = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private final java.util.Map<String, AtomicLong> depth = new java.util.HashMap<>();
    private final java.util.Map<String, AtomicLong> consumers = new java.util.HashMap<>();
    private final ScheduledExecutorService timer;

    /**
     * {@code dataNodesUp} counts the data nodes up (a query); {@code broker} null: no broker is configured, and the
     * queue gauges stay 0.
     */
    public GatewayGauges(MeterRegistry registry, Database db, OutboxRepository outbox, IntSupplier dataNodesUp,
                         AmqpConnector broker, String connectionName, Clock clock, Duration interval) {
        this.db = db;
        this.outbox = outbox;
        this.dataNodesUp = dataNodesUp;
        this.broker = broker == null ? null : new BrokerQueueCounts(broker, connectionName);
        this.clock = clock;
        this.interval = interval;
        Gauge.builder("ferry.outbox.pending", outboxPending, AtomicLong::get)
                .description("Outbox rows (casts) not yet sent to the broker").register(registry);
        Gauge.builder("ferry.outbox.oldest.age.seconds", outboxOldestAgeSeconds, AtomicLong::get)
                .description("Age of the oldest unsent outbox row, 0 when none").register(registry);
        Gauge.builder("ferry.data.nodes.up", nodesUp, AtomicLong::get)
                .description("Data nodes whose heartbeat is current").register(registry);
        Gauge.builder("ferry.parked.messages", parked, AtomicLong::get)
                .description("Messages in the parked queue (" + Parking.QUEUE + ")").register(registry);
        for (String queue : QUEUES) {
            depth.put(queue, new AtomicLong());
            consumers.put(queue, new AtomicLong());
            Gauge.builder("ferry.queue.messages", depth.get(queue), AtomicLong::get).tag("queue", queue)
                    .description("Ready messages in the queue").register(registry);
            Gauge.builder("ferry.queue.consumers", consumers.get(queue), AtomicLong::get).tag("queue", queue)
                    .description("Consumers on the queue").register(registry);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ferry-metrics-poller");
            thread.setDaemon(true);
            return thread;
        });
    }

    public GatewayGauges start() {
        timer.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Reads every value once; each source that fails keeps its last values. */
    public void refresh() {
        try {
            OutboxRepository.Backlog backlog = db.read(outbox::backlog);
            outboxPending.set(backlog.pending());
            LocalDateTime oldest = backlog.oldestCreatedAt();
            outboxOldestAgeSeconds.set(oldest == null ? 0
                    : Math.max(0, Duration.between(oldest, Timestamps.now(clock)).toSeconds()));
            nodesUp.set(dataNodesUp.getAsInt());
        } catch (RuntimeException e) {
            LOG.debug("metrics: cannot read the outbox or the data nodes: {}", e.toString());
        }
        if (broker != null) {
            refreshQueues();
        }
    }

    private void refreshQueues() {
        try {
            for (String queue : QUEUES) {
                broker.of(queue).ifPresent(counts -> {
                    depth.get(queue).set(counts.ready());
                    consumers.get(queue).set(counts.consumers());
                });
            }
            broker.of(Parking.QUEUE).ifPresent(counts -> parked.set(counts.ready()));
        } catch (IOException | RuntimeException e) {
            LOG.debug("metrics: cannot ask the broker about Ferry's queues: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (broker != null) {
            broker.close();
        }
    }
}
