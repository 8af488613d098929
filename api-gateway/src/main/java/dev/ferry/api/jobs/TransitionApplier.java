package dev.ferry.api.jobs;

import dev.ferry.api.metrics.JobMetrics;
import dev.ferry.api.db.DataAccessException;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.jobs.kinds.InfoNotice;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.jobs.kinds.KindRules;
import dev.ferry.api.jobs.kinds.Notice;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobAttempt;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.db.Timestamps;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import java.time.LocalDateTime;
import dev.ferry.messages.StatusRpc;
import java.time.Duration;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code job_transition} casts to the database. A transition counts only for a running job at
 * the epoch it quotes; anything else is dropped (logged at INFO), so duplicates and replays are harmless,
 * and a node whose job was taken back (lease expired, released) can no longer change it. It must also
 * present the secret of that epoch's grant ({@link GrantSecrets}): one without it, or with a wrong one, is
 * dropped and logged at WARN, since node names are self-declared and anyone on the broker may cast. Success and
 * failure change the job, its attempt, the backup, the share (and add a user message) in one transaction: what
 * they leave is the job kind's ({@link dev.ferry.api.jobs.kinds.KindRules}), looked up in {@link JobKinds}.
 * A database failure propagates as a {@link DataAccessException}, so the RPC server returns the transition
 * to its queue instead of losing it; except when the database refuses what the transition would store
 * (SQLState class 22, a data exception, such as a value too long for its column or a character it cannot
 * hold): that would be refused again on every retry, while the reaper ran the job again and again, so the
 * job fails instead, with a short reason Ferry writes itself.
 */
public final class TransitionApplier {
    private static final Logger LOG = LoggerFactory.getLogger(TransitionApplier.class);
    private final Database db;
    private final Repositories repos;
    private final JobFailure failures;
    private final GrantSecrets secrets;
    private final JobKinds kinds;
    private final UserMessageRecorder messages;
    private final JobMetrics metrics;

    /** User messages live {@link UserMessageRecorder#TTL}. */
    public TransitionApplier(Repositories repos) {
        this(repos, UserMessageRecorder.TTL);
    }

    /** User messages live {@code messageTtl}. */
    public TransitionApplier(Repositories repos, Duration messageTtl) {
        this(repos, new JobFailure(repos, messageTtl));
    }

    /** Ferry's kinds. */
    public TransitionApplier(Repositories repos, JobFailure failures) {
        this(repos, failures, JobKinds.standard(repos));
    }

    /** {@code kinds}: what each job kind's progress and success leave. */
    public TransitionApplier(Repositories repos, JobFailure failures, JobKinds kinds) {
        this(repos, failures, kinds, JobMetrics.none());
    }

    /** As above, counting the jobs that transitions end in {@code metrics}. */
    public TransitionApplier(Repositories repos, JobFailure failures, JobKinds kinds, JobMetrics metrics) {
        this.metrics = metrics;
        this.kinds = kinds;
        this.repos = repos;
        this.db = repos.database();
        this.failures = failures;
        this.secrets = new GrantSecrets(repos.attempts());
        this.messages = new UserMessageRecorder(repos.messages(), repos.clock(), failures.messageTtl());
    }

    /** Whether a transition changed anything. */
    public enum Result { APPLIED, DROPPED }

    public Result apply(StatusRpc.Transition transition) {
        try {
            return applyOnce(transition);
        } catch (DataAccessException e) {
            Optional<SQLException> refused = e.refusedValue();
            if (refused.isEmpty()) {
                throw e;
            }
            return failInstead(transition, refused.get());
        }
    }

    /**
     * The database refused to store what {@code transition} carries: the job fails instead (a failure keeps its
     * detail; success and progress fail with {@link FailureDetail#UNKNOWN_ERROR}, and a restore's target counts as
     * touched, since the node was writing into it). Should even that short reason be refused, the job fails with
     * the detail's text alone.
     */
    private Result failInstead(StatusRpc.Transition transition, SQLException refused) {
        boolean failure = transition.outcome() == StatusRpc.Outcome.FAILED;
        String what = switch (transition.outcome()) {
            case FAILED -> "the data node's failure reason could not be stored";
            case SUCCEEDED -> "the data node reported success, but that could not be stored";
            case PROGRESS -> "a progress report of the data node could not be stored";
        };
        String reason = what + ": " + DataAccessException.describe(refused)
                + (failure ? "" : "; the job failed so that it does not run again. See the data node's log");
        FailureDetail detail = failure && transition.detail() != null ? transition.detail()
                : FailureDetail.UNKNOWN_ERROR;
        boolean touched = !failure || transition.targetTouched();
        LOG.error("the database refused the {} transition of job {} from node {} ({}); the job fails instead",
                transition.outcome().wire(), transition.jobId(), transition.node(),
                DataAccessException.describe(refused));
        try {
            return applyOnce(StatusRpc.Transition.failed(transition.jobId(), transition.epoch(), transition.node(),
                    detail, reason, touched).withSecret(transition.secret()));
        } catch (DataAccessException again) {
            if (again.refusedValue().isEmpty()) {
                throw again;
            }
            LOG.error("the database refused the reason of job {}'s failure too ({}); it fails with detail {} alone",
                    transition.jobId(), DataAccessException.describe(again.refusedValue().get()), detail.id());
            return applyOnce(StatusRpc.Transition.failed(transition.jobId(), transition.epoch(), transition.node(),
                    detail, null, touched).withSecret(transition.secret()));
        }
    }

    /** What a transition did, and the job it ended (null when it ended none), for the metrics after the commit. */
    private record Applied(Result result, Ended ended) {
        static Applied of(Result result) {
            return new Applied(result, null);
        }
    }

    private record Ended(JobKind kind, String outcome, LocalDateTime claimedAt) {
    }

    private Result applyOnce(StatusRpc.Transition transition) {
        Applied applied = applyInTransaction(transition);
        Ended ended = applied.ended();
        if (ended != null) {
            metrics.ended(ended.kind(), ended.outcome(), ended.claimedAt() == null ? null
                    : Duration.between(ended.claimedAt(), Timestamps.now(repos.clock())));
        }
        return applied.result();
    }

    private Applied applyInTransaction(StatusRpc.Transition transition) {
        return db.inTransaction(c -> {
            Optional<Job> found = repos.jobs().findForUpdate(c, transition.jobId());
            if (found.isEmpty()) {
                return Applied.of(drop(transition, "job " + transition.jobId() + " does not exist"));
            }
            Job job = found.get();
            try (JobLogIds ids = JobLogIds.of(job)) {
                if (job.epoch() != transition.epoch()) {
                    return Applied.of(drop(transition, "stale epoch " + transition.epoch() + ": job " + job.id()
                            + " is at epoch " + job.epoch() + " (node " + job.node() + ")"));
                }
                if (job.status() != JobStatus.RUNNING) {
                    return Applied.of(drop(transition, "job " + job.id() + " is " + job.status().wire()
                            + ", not running"));
                }
                GrantSecrets.Proof proof = secrets.presented(c, job.id(), job.epoch(), transition.secret());
                if (proof != GrantSecrets.Proof.VALID) {
                    LOG.warn("dropped {} transition of job {} at epoch {} from a sender naming itself node {}: it {}; "
                            + "the job is unchanged", transition.outcome().wire(), job.id(), job.epoch(),
                            transition.node(), proof.describe());
                    return Applied.of(Result.DROPPED);
                }
                LocalDateTime claimedAt = transition.outcome() == StatusRpc.Outcome.PROGRESS ? null
                        : claimedAt(c, job);
                return switch (transition.outcome()) {
                    case PROGRESS -> Applied.of(progress(c, job, transition.progress()));
                    case SUCCEEDED -> ended(succeed(c, job, transition), job, JobMetrics.SUCCEEDED, claimedAt);
                    case FAILED -> ended(fail(c, job, transition), job, JobMetrics.FAILED, claimedAt);
                };
            }
        });
    }

    private static Applied ended(Result result, Job job, String outcome, LocalDateTime claimedAt) {
        return new Applied(result, result == Result.APPLIED ? new Ended(job.kind(), outcome, claimedAt) : null);
    }

    /** When the node holding {@code job} at its epoch claimed it (its attempt's start); null when unknown. */
    private LocalDateTime claimedAt(Connection c, Job job) throws SQLException {
        return repos.attempts().forJob(c, job.id()).stream().filter(a -> a.epoch() == job.epoch())
                .map(JobAttempt::startedAt).findFirst().orElse(null);
    }

    private Result progress(Connection c, Job job, int reported) throws SQLException {
        int percent = Math.max(0, Math.min(100, reported));
        repos.jobs().touch(c, job.id(), job.epoch());
        return kinds.of(job.kind()).progress(c, job, percent) ? Result.APPLIED : Result.DROPPED;
    }

    /**
     * The job, its attempt (with the counters the node sent) and the kind's statuses; a notice the node sent with its
     * success ({@link FailureDetail#METADATA_DROPPED}) becomes a WARNING user message where the kind says.
     */
    private Result succeed(Connection c, Job job, StatusRpc.Transition transition) throws SQLException {
        repos.jobs().finish(c, job.id(), job.epoch(), JobStatus.SUCCEEDED, null, null);
        keepCounters(c, job, transition);
        repos.attempts().close(c, job.id(), job.epoch(), JobAttempt.SUCCEEDED);
        KindRules kind = kinds.of(job.kind());
        InfoNotice info = kind.succeed(c, job, transition);
        if (info != null && info.where().projectId() != null) {
            messages.record(c, info.where(), info.detail(), UserMessageRecorder.INFO, job.requestId());
        }
        if (transition.detail() != null) {
            Notice notice = kind.successNotice(c, job);
            if (notice == null) {
                LOG.info("job {} succeeded with notice {} ({}); nobody to tell", job.id(), transition.detail().id(),
                        transition.reason());
            } else {
                messages.record(c, notice.action(), transition.detail(), UserMessageRecorder.WARNING,
                        UserMessageRecorder.withSpecifics(transition.detail(), transition.reason()),
                        notice.resourceType(), notice.resourceId(), notice.projectId(), job.requestId());
                LOG.warn("job {} succeeded with notice {}: {}", job.id(), transition.detail().id(),
                        transition.reason());
            }
        }
        return Result.APPLIED;
    }

    private void keepCounters(Connection c, Job job, StatusRpc.Transition transition) throws SQLException {
        if (transition.counters() != null) {
            repos.attempts().keepCounters(c, job.id(), job.epoch(), transition.counters());
        }
    }

    private Result fail(Connection c, Job job, StatusRpc.Transition transition) throws SQLException {
        keepCounters(c, job, transition);
        FailureDetail detail = transition.detail() == null ? FailureDetail.UNKNOWN_ERROR : transition.detail();
        boolean failed = failures.fail(c, job, detail, transition.reason(), transition.targetTouched(),
                JobAttempt.FAILED);
        return failed ? Result.APPLIED : drop(transition, "job " + job.id() + " is no longer running at epoch "
                + job.epoch());
    }

    private static Result drop(StatusRpc.Transition transition, String reason) {
        LOG.info("dropped {} transition of job {} from node {}: {}", transition.outcome().wire(), transition.jobId(),
                transition.node(), reason);
        return Result.DROPPED;
    }
}
