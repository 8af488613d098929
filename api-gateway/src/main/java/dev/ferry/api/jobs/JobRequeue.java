package dev.ferry.api.jobs;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.jobs.kinds.KindRules;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobAttempt;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.OsloTime;
import dev.ferry.messages.RpcRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a running job back from its node, inside the caller's transaction: the job returns to queued at
 * the next epoch (so whatever the old holder still sends is stale), its attempt is closed with why, and
 * its cast is written to the outbox again, rebuilt from the database by its kind ({@link KindRules#recast}). Callers lock the
 * job row first ({@code findForUpdate}) and call {@link CastOutbox#committed()} after the commit.
 * A job whose attempts have ended with an expired lease {@code maxLeaseExpiries} times
 * ({@code FERRY_JOB_MAX_ATTEMPTS}) is not cast again: it fails as a failure of its kind does
 * ({@link JobFailure}), since a job that kills or hangs every node that takes it would otherwise run forever.
 */
public final class JobRequeue {
    private static final Logger LOG = LoggerFactory.getLogger(JobRequeue.class);
    /** {@code FERRY_JOB_MAX_ATTEMPTS}' default. */
    public static final int DEFAULT_MAX_LEASE_EXPIRIES = 5;
    private final Repositories repos;
    private final CastOutbox outbox;
    private final JobKinds kinds;
    private final JobFailure failures;
    private final int maxLeaseExpiries;

    /** With the default {@link #DEFAULT_MAX_LEASE_EXPIRIES} and user messages of {@link UserMessageRecorder#TTL}. */
    public JobRequeue(Repositories repos, CastOutbox outbox) {
        this(repos, outbox, new JobFailure(repos, UserMessageRecorder.TTL), DEFAULT_MAX_LEASE_EXPIRIES);
    }

    /** Ferry's kinds. */
    public JobRequeue(Repositories repos, CastOutbox outbox, JobFailure failures, int maxLeaseExpiries) {
        this(repos, outbox, failures, maxLeaseExpiries, JobKinds.standard(repos));
    }

    /** {@code kinds}: how each job kind is cast again. */
    public JobRequeue(Repositories repos, CastOutbox outbox, JobFailure failures, int maxLeaseExpiries,
                      JobKinds kinds) {
        if (maxLeaseExpiries < 1) {
            throw new IllegalArgumentException("a job needs at least 1 attempt, not " + maxLeaseExpiries);
        }
        this.repos = repos;
        this.outbox = outbox;
        this.kinds = kinds;
        this.failures = failures;
        this.maxLeaseExpiries = maxLeaseExpiries;
    }

    /** What became of the job. */
    public enum Result {
        /** Queued again at the next epoch, its cast in the outbox. */
        REQUEUED,
        /** The caller's hold (or the expired lease) was not the job's current one: nothing changed. */
        NOT_HELD,
        /**
         * Its backup (or share) is gone, so there was nothing to cast, or its leases expired too often: the job
         * failed instead.
         */
        FAILED
    }

    /** {@code node} gives back its hold at {@code epoch}. */
    public Result release(Connection c, Job job, long epoch, String node, String reason) throws SQLException {
        if (!holds(job, epoch) || node == null || !node.equals(job.node())) {
            return Result.NOT_HELD;
        }
        String why = "released by node " + node + " (" + (reason == null ? "no reason given" : reason) + ")";
        return takeBack(c, job, JobAttempt.released(reason), why,
                () -> repos.jobs().release(c, job.id(), epoch, node));
    }

    /** The lease of the hold at {@code epoch} ended before {@code now}. */
    public Result expire(Connection c, Job job, long epoch, LocalDateTime now) throws SQLException {
        if (!holds(job, epoch) || job.leaseExpiresAt() == null || !job.leaseExpiresAt().isBefore(now)) {
            return Result.NOT_HELD;
        }
        String why = "the lease of node " + job.node() + " expired at " + OsloTime.format(job.leaseExpiresAt());
        List<JobAttempt> attempts = repos.attempts().forJob(c, job.id());
        long expiries = 1 + attempts.stream().filter(a -> JobAttempt.LEASE_EXPIRED.equals(a.outcome())).count();
        if (expiries >= maxLeaseExpiries) {
            return giveUp(c, job, expiries, attempts);
        }
        return takeBack(c, job, JobAttempt.LEASE_EXPIRED, why, () -> repos.jobs().expire(c, job.id(), epoch, now));
    }

    /** The job's leases expired {@code expiries} times: it fails as its kind fails, with what to look at. */
    private Result giveUp(Connection c, Job job, long expiries, List<JobAttempt> attempts) throws SQLException {
        Set<String> nodes = new LinkedHashSet<>();
        attempts.stream().filter(a -> JobAttempt.LEASE_EXPIRED.equals(a.outcome())).map(JobAttempt::node)
                .filter(Objects::nonNull).forEach(nodes::add);
        if (job.node() != null) {
            nodes.add(job.node());
        }
        boolean one = nodes.size() == 1;
        String reason = "Ferry gave up on this job after " + expiries + (expiries == 1 ? " attempt whose data node "
                + "stopped renewing its lease" : " attempts whose data nodes stopped renewing their lease")
                + ", as a node does when it crashes, runs out of memory or loses its connection to RabbitMQ. Look at "
                + (one ? "the log of data node " : "the logs of data nodes ") + String.join(", ", nodes)
                + (job.requestId() == null ? "" : " for request " + job.requestId()) + ", and at "
                + (one ? "its kernel log" : "their kernel logs") + " for out-of-memory kills; then retry. "
                + "FERRY_JOB_MAX_ATTEMPTS (" + maxLeaseExpiries + ") sets how many such attempts a job gets.";
        if (!failures.fail(c, job, FailureDetail.UNKNOWN_ERROR, reason, true, JobAttempt.LEASE_EXPIRED)) {
            return Result.NOT_HELD;
        }
        LOG.error("job {} ({} of backup {}, share {}) failed: {}", job.id(), job.kind().wireName(), job.backupId(),
                job.shareId(), reason);
        return Result.FAILED;
    }

    private static boolean holds(Job job, long epoch) {
        return job.status() == JobStatus.RUNNING && job.epoch() == epoch;
    }

    /** The conditional update that moves the job back to queued. */
    @FunctionalInterface
    private interface Requeue {
        boolean apply() throws SQLException;
    }

    private Result takeBack(Connection c, Job job, String outcome, String why, Requeue requeue) throws SQLException {
        KindRules kind = kinds.of(job.kind());
        Optional<RpcRequest> rebuilt = kind.recast(c, job);
        if (rebuilt.isEmpty()) {
            String reason = kind.needs(job) + " no longer exists, so the job cannot be dispatched again after " + why;
            if (!repos.jobs().finish(c, job.id(), job.epoch(), JobStatus.FAILED, null, reason)) {
                return Result.NOT_HELD;
            }
            repos.attempts().close(c, job.id(), job.epoch(), outcome);
            LOG.error("job {} failed: {}", job.id(), reason);
            return Result.FAILED;
        }
        if (!requeue.apply()) {
            return Result.NOT_HELD;
        }
        repos.attempts().close(c, job.id(), job.epoch(), outcome);
        RpcRequest cast = rebuilt.get();
        outbox.add(c, DataRpc.topicOf(job.kind()), cast);
        LOG.warn("job {} ({} of backup {}, share {}) is queued again at epoch {}: {}", job.id(), job.kind().wireName(),
                job.backupId(), job.shareId(), job.epoch() + 1, why);
        return Result.REQUEUED;
    }
}
