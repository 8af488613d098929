package dev.ferry.api.jobs;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired user messages every interval, as Manila's {@code _clean_expired_messages} does. The API hides
 * expired messages anyway, so a missed run only leaves rows behind a little longer. Safe on several replicas.
 */
public final class MessagePurger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessagePurger.class);
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    private final Database db;
    private final Repositories repos;
    private final Duration interval;
    private final ScheduledExecutorService timer;

    public MessagePurger(Repositories repos, Duration interval) {
        this.repos = repos;
        this.db = repos.database();
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ferry-message-purger");
            thread.setDaemon(true);
            return thread;
        });
    }

    public MessagePurger start() {
        timer.scheduleWithFixedDelay(this::purgeLogged, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** Deletes every message expired by now; returns how many. */
    public int purgeOnce() {
        return db.inTransaction(c -> repos.messages().purgeExpired(c, Timestamps.now(repos.clock())));
    }

    private void purgeLogged() {
        try {
            int purged = purgeOnce();
            if (purged > 0) {
                LOG.info("deleted {} expired user messages", purged);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not delete expired user messages (will retry in {} s): {}", interval.toSeconds(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
