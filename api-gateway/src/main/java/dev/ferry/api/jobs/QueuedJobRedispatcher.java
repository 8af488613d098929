package dev.ferry.api.jobs;

import dev.ferry.api.db.DataAccessException;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.metrics.JobMetrics;
import dev.ferry.api.model.Job;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RpcRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Casts a queued job again when its cast is lost: the job has waited unclaimed for longer than
 * {@code FERRY_JOB_REDISPATCH_SECONDS} since its cast was sent, and its queue, with consumers, held no message ready
 * for delivery at two looks in a row, so nothing the broker would still deliver can be its cast. A broker can lose a
 * delivery that way: a quorum queue's leader election may leave a cast checked out to a consumer that no longer
 * exists, unacknowledged and never delivered again while the data nodes' channels live (rabbitmq-server#15473), and
 * a queue purged by hand drops its casts. A job whose cast merely waits behind others is never cast again, since its
 * queue then holds ready messages. A queue without consumers is never judged: nobody could take a cast sent again,
 * and a quorum queue whose leader is being elected answers a passive declare with no messages and no consumers
 * (RabbitMQ 3.10), which must not read as idle.
 *
 * <p>A second cast is harmless: a claim is a compare-and-set on the queued job, so whichever copy a data node
 * claims first runs the job and every other copy is refused and dropped. The jobs are taken in one transaction
 * with their rows locked ({@code FOR UPDATE SKIP LOCKED}) and marked cast again (their {@code updated_at}) in it,
 * so several api-gateways never cast the same job twice, and a job is cast again at most once per threshold.
 * Each re-dispatch is logged with the job's request id and counted ({@code ferry_jobs_redispatched_total}).
 */
public final class QueuedJobRedispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueuedJobRedispatcher.class);
    private static final int BATCH = 100;
    private final Repositories repos;
    private final Database db;
    private final JobKinds kinds;
    private final CastOutbox outbox;
    private final Queues queues;
    /** The queues that were idle (consumed, nothing ready) at the last look; touched by one thread at a time. */
    private final Set<String> idleAtLastLook = new java.util.HashSet<>();
    private final Duration threshold;
    private final JobMetrics metrics;
    private final ScheduledExecutorService timer;
    private volatile boolean inOutage;

    /** What a queue holds ready and how many consume it ({@link BrokerQueueCounts#of}); empty: no such queue. */
    @FunctionalInterface
    public interface Queues {
        Optional<BrokerQueueCounts.Counts> of(String queue) throws IOException;
    }

    /**
     * @param threshold how long a job waits unclaimed after its cast was sent, its queue idle, before it is cast
     *                  again ({@code FERRY_JOB_REDISPATCH_SECONDS})
     */
    public QueuedJobRedispatcher(Repositories repos, JobKinds kinds, CastOutbox outbox, Queues queues,
                                 Duration threshold, JobMetrics metrics) {
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("the re-dispatch threshold must be positive, not " + threshold);
        }
        this.repos = repos;
        this.db = repos.database();
        this.kinds = kinds;
        this.outbox = outbox;
        this.queues = queues;
        this.threshold = threshold;
        this.metrics = metrics;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ferry-job-redispatcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Looks four times per threshold, at most once a second and at least every 15 seconds. */
    public QueuedJobRedispatcher start() {
        long every = Math.min(15_000, Math.max(1_000, threshold.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::redispatchLogged, every, every, TimeUnit.MILLISECONDS);
        LOG.info("a queued job whose cast is lost is cast again after {} s (FERRY_JOB_REDISPATCH_SECONDS); "
                + "looking every {} ms", threshold.toSeconds(), every);
        return this;
    }

    /**
     * Casts again every queued job whose cast is lost by now; returns how many. A queue counts as idle only when it
     * was idle at the previous call too, so a first call never casts anything.
     */
    public synchronized int redispatchOnce() throws IOException {
        LocalDateTime cutoff = Timestamps.now(repos.clock()).minus(threshold);
        Set<JobKind> waiting = db.read(c -> repos.jobs().queuedKindsSince(c, cutoff));
        if (waiting.isEmpty()) {
            idleAtLastLook.clear();
            return 0;
        }
        Set<JobKind> lost = EnumSet.noneOf(JobKind.class);
        Set<String> previous = Set.copyOf(idleAtLastLook);
        idleAtLastLook.clear(); // a look that fails breaks the row
        Set<String> idle = new java.util.HashSet<>();
        for (String queue : waiting.stream().map(DataRpc::topicOf).distinct().toList()) {
            Optional<BrokerQueueCounts.Counts> counts = queues.of(queue);
            if (counts.isPresent() && counts.get().ready() == 0 && counts.get().consumers() > 0) {
                idle.add(queue);
                if (previous.contains(queue)) {
                    waiting.stream().filter(kind -> DataRpc.topicOf(kind).equals(queue)).forEach(lost::add);
                }
            }
        }
        idleAtLastLook.addAll(idle);
        if (lost.isEmpty()) {
            return 0; // their casts wait behind others, nobody consumes, or the broker cannot tell yet
        }
        List<Job> recast = db.inTransaction(c -> {
            List<Job> done = new ArrayList<>();
            for (Job job : repos.jobs().unclaimedSince(c, cutoff, lost, BATCH)) {
                Optional<RpcRequest> cast = kinds.of(job.kind()).recast(c, job);
                if (!repos.jobs().markRecast(c, job)) {
                    continue;
                }
                if (cast.isPresent()) {
                    outbox.add(c, DataRpc.topicOf(job.kind()), cast.get());
                    done.add(job);
                } else {
                    logAbout(job, () -> LOG.warn("job {} ({}) waits unclaimed and its cast is lost, but it cannot be "
                            + "cast again: {} no longer exists", job.id(), job.kind().wireName(),
                            kinds.of(job.kind()).needs(job)));
                }
            }
            return done;
        });
        if (!recast.isEmpty()) {
            outbox.committed();
        }
        for (Job job : recast) {
            metrics.redispatched(job.kind());
            logAbout(job, () -> LOG.warn("job {} ({} of backup {}, share {}) waited unclaimed for more than {} s with "
                    + "{} consumed but holding no message ready, so its cast was lost; casting it again", job.id(),
                    job.kind().wireName(), job.backupId(), job.shareId(), threshold.toSeconds(),
                    DataRpc.topicOf(job.kind())));
        }
        return recast.size();
    }

    /** Runs {@code log} with the job's ids in the MDC. */
    private static void logAbout(Job job, Runnable log) {
        try (JobLogIds ids = JobLogIds.of(job)) {
            log.run();
        }
    }

    private void redispatchLogged() {
        try {
            redispatchOnce();
            if (inOutage) {
                inOutage = false;
                LOG.info("looking for lost casts works again");
            }
        } catch (DataAccessException | IOException e) {
            if (!inOutage) {
                inOutage = true;
                LOG.warn("cannot look for queued jobs whose cast was lost ({}); trying again every {} s",
                        e.getMessage(), threshold.toSeconds());
            }
        } catch (RuntimeException e) {
            LOG.error("looking for queued jobs whose cast was lost failed; trying again", e);
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
