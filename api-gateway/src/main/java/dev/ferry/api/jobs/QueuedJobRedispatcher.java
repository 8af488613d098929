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
import org.slf4j.MDC;

/**
 * Casts a queued job again when its cast is lost: the job has waited unclaimed for longer than
 * {@code FERRY_JOB_REDISPATCH_SECONDS} since its cast was sent, and its queue holds no message ready for delivery,
 * so nothing the broker would still deliver can be its cast. A broker can lose a delivery that way: a quorum queue's
 * leader election may leave a cast checked out to a consumer that no longer exists, unacknowledged and never
 * delivered again while the data nodes' channels live (rabbitmq-server#15473), and a queue purged or deleted by
 * hand drops its casts. A job whose cast merely waits behind others is never cast again, since its queue then holds
 * ready messages.
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
    private final ReadyMessages queues;
    private final Duration threshold;
    private final JobMetrics metrics;
    private final ScheduledExecutorService timer;
    private volatile boolean inOutage;

    /** How many messages a queue holds ready for delivery; empty when that cannot be told now. */
    @FunctionalInterface
    public interface ReadyMessages {
        Optional<Long> of(String queue) throws IOException;

        /** The broker's own count ({@link BrokerQueueCounts}); empty also when the queue does not exist. */
        static ReadyMessages of(BrokerQueueCounts broker) {
            return queue -> broker.of(queue).map(BrokerQueueCounts.Counts::ready);
        }
    }

    /**
     * @param threshold how long a job waits unclaimed after its cast was sent, with its queue empty, before it is
     *                  cast again ({@code FERRY_JOB_REDISPATCH_SECONDS})
     */
    public QueuedJobRedispatcher(Repositories repos, JobKinds kinds, CastOutbox outbox, ReadyMessages queues,
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

    /** Casts again every queued job whose cast is lost by now; returns how many. */
    public int redispatchOnce() throws IOException {
        LocalDateTime cutoff = Timestamps.now(repos.clock()).minus(threshold);
        Set<JobKind> waiting = EnumSet.noneOf(JobKind.class);
        db.read(c -> repos.jobs().unclaimedSince(c, cutoff, EnumSet.allOf(JobKind.class), BATCH, false))
                .forEach(job -> waiting.add(job.kind()));
        if (waiting.isEmpty()) {
            return 0;
        }
        Set<JobKind> lost = EnumSet.noneOf(JobKind.class);
        for (String queue : waiting.stream().map(DataRpc::topicOf).distinct().toList()) {
            Optional<Long> ready = queues.of(queue);
            if (ready.isPresent() && ready.get() == 0) {
                waiting.stream().filter(kind -> DataRpc.topicOf(kind).equals(queue)).forEach(lost::add);
            }
        }
        if (lost.isEmpty()) {
            return 0; // their casts wait behind others, or the broker cannot tell
        }
        List<Job> recast = db.inTransaction(c -> {
            List<Job> done = new ArrayList<>();
            for (Job job : repos.jobs().unclaimedSince(c, cutoff, lost, BATCH, true)) {
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
                    + "{} holding no message ready, so its cast was lost; casting it again", job.id(),
                    job.kind().wireName(), job.backupId(), job.shareId(), threshold.toSeconds(),
                    DataRpc.topicOf(job.kind())));
        }
        return recast.size();
    }

    /** Runs {@code log} with the job's request id in the MDC. */
    private static void logAbout(Job job, Runnable log) {
        String previous = MDC.get("request_id");
        if (job.requestId() != null) {
            MDC.put("request_id", job.requestId());
        }
        try {
            log.run();
        } finally {
            if (previous == null) {
                MDC.remove("request_id");
            } else {
                MDC.put("request_id", previous);
            }
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
