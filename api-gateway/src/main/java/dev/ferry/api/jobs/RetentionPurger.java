package dev.ferry.api.jobs;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.FinishedJobRepository;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the api-gateway's tables from growing without end. Soon after start and then every interval it deletes the
 * jobs that finished more than {@code FERRY_JOB_RETENTION_DAYS} ago, with their attempts; the outbox rows sent that
 * long ago; and the user messages that expired ({@code FERRY_MESSAGE_TTL}, as Manila's
 * {@code _clean_expired_messages}). Queued and running jobs, jobs a backup or share still needs
 * ({@link FinishedJobRepository}) and unsent outbox rows are never deleted.
 * <p>
 * Each transaction deletes at most one batch of rows, so that a large backlog never holds locks for long. Every
 * delete names what it may delete, so several api-gateways may purge at once: one that finds its batch already gone
 * leaves the rest to the other. A run that fails (the database is away) is tried again at the next interval.
 */
public final class RetentionPurger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurger.class);
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    /** How long after start the first run comes: the process is up, and the purge does not wait an interval. */
    public static final Duration FIRST_RUN_AFTER = Duration.ofMinutes(1);
    public static final int DEFAULT_BATCH = 1000;
    /** The largest batch: its job ids are bound as parameters, well below both databases' limits. */
    public static final int MAX_BATCH = 10_000;
    private final Database db;
    private final Repositories repos;
    private final FinishedJobRepository finished = new FinishedJobRepository();
    private final Duration retention;
    private final Duration interval;
    private final int batch;
    private final ScheduledExecutorService timer;

    /** What one run deleted. */
    public record Purged(int jobs, int attempts, int outbox, int messages) {
        public boolean any() {
            return jobs + attempts + outbox + messages > 0;
        }
    }

    /** Keeps finished jobs and sent outbox rows for {@code retention}; runs every hour, 1000 rows per transaction. */
    public RetentionPurger(Repositories repos, Duration retention) {
        this(repos, retention, DEFAULT_INTERVAL, DEFAULT_BATCH);
    }

    public RetentionPurger(Repositories repos, Duration retention, Duration interval, int batch) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("the retention of finished jobs must be positive, not " + retention);
        }
        if (batch < 1 || batch > MAX_BATCH) {
            throw new IllegalArgumentException("a purge batch holds 1 to " + MAX_BATCH + " rows, not " + batch);
        }
        this.repos = repos;
        this.db = repos.database();
        this.retention = retention;
        this.interval = interval;
        this.batch = batch;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ferry-retention-purger");
            thread.setDaemon(true);
            return thread;
        });
    }

    public RetentionPurger start() {
        timer.scheduleWithFixedDelay(this::purgeLogged, Math.min(FIRST_RUN_AFTER.toMillis(), interval.toMillis()),
                interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("retention: finished jobs and sent outbox rows are deleted {} days after they ended, expired user "
                + "messages once they expired; looked for every {} min", retention.toDays(), interval.toMinutes());
        return this;
    }

    /** Deletes everything past its retention by now, batch by batch; returns how much. */
    public Purged purgeOnce() {
        LocalDateTime now = Timestamps.now(repos.clock());
        LocalDateTime cutoff = now.minus(retention);
        int jobs = 0;
        int attempts = 0;
        while (!Thread.currentThread().isInterrupted()) {
            List<String> ids = db.read(c -> finished.endedBefore(c, cutoff, batch));
            FinishedJobRepository.Deleted deleted = db.inTransaction(c -> finished.delete(c, ids));
            jobs += deleted.jobs();
            attempts += deleted.attempts();
            if (ids.size() < batch || deleted.jobs() == 0) {
                break; // all done, or another api-gateway purges the same rows: it deletes the rest
            }
        }
        int outbox = inBatches(() -> db.inTransaction(c -> repos.outbox().deleteSentBefore(c, cutoff, batch)));
        int messages = inBatches(() -> db.inTransaction(c -> repos.messages().purgeExpired(c, now, batch)));
        return new Purged(jobs, attempts, outbox, messages);
    }

    /** Runs {@code oneBatch} until it deletes less than a whole batch; returns how many rows it deleted. */
    private int inBatches(IntSupplier oneBatch) {
        int total = 0;
        while (!Thread.currentThread().isInterrupted()) {
            int deleted = oneBatch.getAsInt();
            total += deleted;
            if (deleted < batch) {
                break;
            }
        }
        return total;
    }

    private void purgeLogged() {
        try {
            Purged purged = purgeOnce();
            if (purged.any()) {
                LOG.info("retention: deleted {} jobs that ended more than {} days ago (with {} attempts), {} outbox "
                        + "rows sent before then, and {} expired user messages", purged.jobs(), retention.toDays(),
                        purged.attempts(), purged.outbox(), purged.messages());
            }
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // closing: the next start purges the rest
            }
            LOG.warn("retention: could not delete old jobs, outbox rows and expired user messages (tried again in {} "
                    + "min): {}", interval.toMinutes(), e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
