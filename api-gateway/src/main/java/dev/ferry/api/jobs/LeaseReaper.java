package dev.ferry.api.jobs;

import dev.ferry.api.metrics.JobMetrics;
import dev.ferry.api.db.DataAccessException;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Job;
import dev.ferry.api.service.CastOutbox;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every interval, takes back the running jobs whose lease expired (their node crashed, hung or was cut
 * off): each goes back to queued at the next epoch and is cast again through the outbox, unless its leases
 * have expired {@code FERRY_JOB_MAX_ATTEMPTS} times, when it fails instead ({@link JobRequeue}). Each job is
 * taken back in its own transaction with its row locked and a conditional update, so several api-gateway
 * replicas can reap at once and a job is re-dispatched exactly once. While the database is away it logs
 * once and keeps trying.
 */
public final class LeaseReaper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);
    private static final int BATCH = 100;
    private final Database db;
    private final Repositories repos;
    private final JobRequeue requeue;
    private final CastOutbox outbox;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    private final JobMetrics metrics;
    private volatile boolean inOutage;

    public LeaseReaper(Repositories repos, JobRequeue requeue, CastOutbox outbox, Duration interval) {
        this(repos, requeue, outbox, interval, JobMetrics.none());
    }

    /** As above, counting every lease taken back in {@code metrics}. */
    public LeaseReaper(Repositories repos, JobRequeue requeue, CastOutbox outbox, Duration interval,
                       JobMetrics metrics) {
        this.metrics = metrics;
        this.repos = repos;
        this.db = repos.database();
        this.requeue = requeue;
        this.outbox = outbox;
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ferry-lease-reaper");
            thread.setDaemon(true);
            return thread;
        });
    }

    public LeaseReaper start() {
        timer.scheduleWithFixedDelay(this::reapLogged, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("lease reaper started: looking for expired leases every {} ms", interval.toMillis());
        return this;
    }

    /** False while the last look for expired leases could not reach the database. */
    public boolean reachesDatabase() {
        return !inOutage;
    }

    /** Takes back every job whose lease expired by now; returns how many this call re-dispatched or failed. */
    public int reapOnce() {
        int requeued = 0;
        List<Job> expired;
        do {
            LocalDateTime now = Timestamps.now(repos.clock());
            expired = db.read(c -> repos.jobs().expiredLeases(c, now, BATCH));
            int before = requeued;
            for (Job job : expired) {
                if (takeBack(job, now)) {
                    requeued++;
                }
            }
            if (requeued == before) {
                break; // another reaper took this batch; it will take the rest too
            }
        } while (expired.size() == BATCH);
        if (requeued > 0) {
            outbox.committed();
        }
        return requeued;
    }

    private boolean takeBack(Job job, LocalDateTime now) {
        try (JobLogIds ids = JobLogIds.of(job)) {
            JobRequeue.Result result = db.inTransaction(c -> {
                Optional<Job> locked = repos.jobs().findForUpdate(c, job.id());
                return locked.isEmpty() ? JobRequeue.Result.NOT_HELD
                        : requeue.expire(c, locked.get(), job.epoch(), now);
            });
            if (result != JobRequeue.Result.NOT_HELD) {
                metrics.leaseExpired();
            }
            if (result == JobRequeue.Result.FAILED) {
                metrics.ended(job.kind(), JobMetrics.FAILED, null);
            }
            return result != JobRequeue.Result.NOT_HELD;
        }
    }

    private void reapLogged() {
        try {
            reapOnce();
            if (inOutage) {
                inOutage = false;
                LOG.info("lease reaper reaches the database again");
            }
        } catch (DataAccessException e) {
            if (!inOutage) {
                inOutage = true;
                LOG.warn("lease reaper cannot reach the database ({}); expired leases are taken back once it "
                        + "answers again", e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("lease reaper failed; it tries again in {} ms", interval.toMillis(), e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
