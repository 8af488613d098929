package dev.ferry.api.jobs;

import dev.ferry.api.db.DataAccessException;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.OutboxRepository;
import dev.ferry.api.model.OutboxMessage;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Publishes unsent outbox rows in order, a batch of up to {@link #BATCH} at a time, and marks sent, in one statement, those the
 * broker confirmed; a nacked or unconfirmed cast stays unsent and is published again later. The batch's rows are
 * taken with {@code FOR UPDATE SKIP LOCKED} in a transaction held until they are marked, so several api-gateways on
 * one database never publish the same rows at once (the confirm wait is short, so the lock is too). Woken after
 * each commit that added rows, polling otherwise; while the broker (or the database) is away it logs once, backs
 * off up to {@link #MAX_BACKOFF} and retries: casts are delayed, never lost. A row published but not marked (a
 * crash in between) is published again; consumers treat duplicates as harmless (claims refuse them).
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    public static final Duration POLL = Duration.ofMillis(500);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /**
     * Casts per batch: each batch costs one confirm wait and one commit whatever its size, so a backlog drains faster
     * in big ones; a batch of 500 casts of 2 KB is a megabyte on the wire.
     */
    static final int BATCH = 500;
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

    /** What one batch came to: how many rows were taken, how many confirmed and marked, and what went wrong. */
    private record Round(int taken, int sent, String problem) {
    }

    /** Publishes one batch; true when a full batch went out (so there may be more right away). */
    boolean relayOnce() {
        try {
            if (inOutage) {
                transport.connect();
            }
            Round round = db.inTransaction(this::publishBatch);
            if (round.problem() != null) {
                outage(round.problem());
                return false;
            }
            recovered(round.sent());
            return round.taken() == BATCH;
        } catch (IOException e) {
            outage("cannot publish to the broker: " + e.getMessage());
        } catch (DataAccessException e) {
            outage("cannot read the outbox: " + e.getMessage());
        }
        return false;
    }

    /**
     * Takes up to a batch of unsent rows, locked (rows another gateway's relay holds are passed over), publishes them,
     * and marks sent, in one statement, those the broker confirmed; all within the caller's transaction, so the rows
     * stay locked until they are marked (or, when the broker is away, until nothing was marked).
     */
    private Round publishBatch(Connection c) throws SQLException {
        List<OutboxMessage> batch = outbox.lockUnsent(c, BATCH);
        if (batch.isEmpty() || !running) {
            return new Round(0, 0, null);
        }
        OutboxTransport.Confirms confirms;
        try {
            confirms = transport.publish(batch);
        } catch (IOException e) {
            return new Round(batch.size(), 0, "cannot publish to the broker: " + e.getMessage());
        }
        List<Long> ids = new ArrayList<>(confirms.confirmed().size());
        for (OutboxMessage message : confirms.confirmed()) {
            ids.add(message.id());
        }
        outbox.markSent(c, ids);
        if (LOG.isDebugEnabled()) {
            confirms.confirmed().forEach(OutboxRelay::logPublished);
        }
        return new Round(batch.size(), ids.size(), confirms.problem() == null ? null
                : "cannot publish to the broker: " + confirms.problem() + " (" + ids.size() + " of " + batch.size()
                        + " casts confirmed)");
    }

    private static void logPublished(OutboxMessage message) {
        if (message.requestId() != null) {
            MDC.put("request_id", message.requestId());
        }
        try {
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

    private void outage(String problem) {
        if (!inOutage) {
            inOutage = true;
            LOG.warn("{}; casts stay in the outbox and are retried every {} s at most", problem,
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
