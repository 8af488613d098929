package dev.ferry.api.jobs;

import dev.ferry.api.db.DataAccessException;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.OutboxRepository;
import dev.ferry.api.model.OutboxMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Publishes unsent outbox rows in order and marks each sent once the broker confirmed it. Woken after
 * each commit that added rows, polling otherwise; while the broker (or the database) is away it logs
 * once, backs off up to {@link #MAX_BACKOFF} and retries: casts are delayed, never lost. A row
 * published but not marked (a crash in between) is published again; consumers treat duplicates as
 * harmless (claims refuse them).
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    public static final Duration POLL = Duration.ofMillis(500);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final int BATCH = 100;
    private final Database db;
    private final OutboxRepository outbox;
    private final OutboxTransport transport;
    private final Semaphore wakeups = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private boolean inOutage;
    private long backoffMillis = POLL.toMillis();

    public OutboxRelay(Database db, OutboxRepository outbox, OutboxTransport transport) {
        this.db = db;
        this.outbox = outbox;
        this.transport = transport;
        this.thread = new Thread(this::run, "ferry-outbox-relay");
        this.thread.setDaemon(true);
    }

    public OutboxRelay start() {
        thread.start();
        return this;
    }

    /** Publish now rather than at the next poll. */
    public void wake() {
        wakeups.release();
    }

    private void run() {
        LOG.info("outbox relay started");
        while (running) {
            Duration wait = relayOnce() ? Duration.ZERO : currentWait();
            if (!wait.isZero()) {
                try {
                    if (wakeups.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                        wakeups.drainPermits();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        LOG.info("outbox relay stopped");
    }

    /** Publishes one batch; true when a full batch went out (so there may be more right away). */
    boolean relayOnce() {
        int published = 0;
        try {
            List<OutboxMessage> batch = db.read(c -> outbox.unsent(c, BATCH));
            for (OutboxMessage message : batch) {
                if (!running) {
                    return false;
                }
                publish(message);
                published++;
            }
            recovered(published);
            return batch.size() == BATCH;
        } catch (IOException e) {
            outage("cannot publish to the broker", e);
        } catch (DataAccessException e) {
            outage("cannot read the outbox", e);
        }
        return false;
    }

    private void publish(OutboxMessage message) throws IOException {
        if (message.requestId() != null) {
            MDC.put("request_id", message.requestId());
        }
        try {
            transport.publish(message.exchange(), message.routingKey(), message.body());
            db.read(c -> outbox.markSent(c, message.id()));
            LOG.debug("published outbox cast {} to {}/{}", message.id(), message.exchange(), message.routingKey());
        } finally {
            MDC.remove("request_id");
        }
    }

    private void recovered(int published) {
        backoffMillis = POLL.toMillis();
        if (inOutage) {
            inOutage = false;
            LOG.info("outbox relay is publishing again ({} delayed casts sent)", published);
        }
    }

    private void outage(String what, Exception e) {
        if (!inOutage) {
            inOutage = true;
            LOG.warn("{}: {}; casts stay in the outbox and are retried every {} s at most", what, e.getMessage(),
                    MAX_BACKOFF.toSeconds());
        }
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
    }

    private Duration currentWait() {
        return Duration.ofMillis(inOutage ? backoffMillis : POLL.toMillis());
    }

    @Override
    public void close() {
        running = false;
        wakeups.release();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.close();
    }
}
