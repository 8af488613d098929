package dev.ferry.api.jobs;

import dev.ferry.api.metrics.JobMetrics;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.jobs.kinds.CastForbidden;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.jobs.kinds.KindRules;
import dev.ferry.api.jobs.kinds.Notice;
import dev.ferry.api.jobs.kinds.Refusal;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.service.Policies;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.StateRpc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code claim_job}: a data node asks whether the cast it holds is its to run. A queued job is granted
 * by a compare-and-set that bumps its epoch and starts a lease of {@code leaseSeconds}; a cast that did
 * not come through Ferry's API (a real Manila/oslo client) gets the API's checks and a job of its own;
 * anything else is refused, so duplicates and replays are harmless. Every grant opens an attempt.
 * The queued job is looked for first, so a cast that the reaper or a release sent again (same request
 * id) is granted, while a replay of a cast whose job is running or finished is refused.
 *
 * <p>A cast without a job is granted only if its context (the oslo {@code _context_*} fields the node
 * passes along with its claim) may do what it asks under the API's own rules: its kind's admission, the same
 * checks the API's services run ({@link KindRules#adopt});
 * otherwise nothing changes but a user message on what it named, and the refusal asks the node to park
 * the cast. Every grant carries a new secret ({@link GrantSecrets}) that the holder's lease calls and
 * transitions must present.
 */
public final class ClaimService {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimService.class);
    private final Database db;
    private final Repositories repos;
    private final int leaseSeconds;
    private final Policies policies;
    private final JobKinds kinds;
    private final UserMessageRecorder messages;
    private final GrantSecrets secrets;
    private final JobMetrics metrics;

    /** Manila's default policy; user messages live {@link UserMessageRecorder#TTL}. */
    public ClaimService(Repositories repos, int leaseSeconds) {
        this(repos, leaseSeconds, Policies.defaults(), UserMessageRecorder.TTL);
    }

    /** Casts without a job are checked against {@code policies}; user messages live {@code messageTtl}. */
    public ClaimService(Repositories repos, int leaseSeconds, Policies policies, Duration messageTtl) {
        this(repos, leaseSeconds, policies, messageTtl, JobKinds.standard(repos));
    }

    /** {@code kinds}: what each job kind's grant answers and how a cast of it without a job is admitted. */
    public ClaimService(Repositories repos, int leaseSeconds, Policies policies, Duration messageTtl,
                        JobKinds kinds) {
        this(repos, leaseSeconds, policies, messageTtl, kinds, JobMetrics.none());
    }

    /** As above, counting each claim that opens an attempt in {@code metrics}. */
    public ClaimService(Repositories repos, int leaseSeconds, Policies policies, Duration messageTtl,
                        JobKinds kinds, JobMetrics metrics) {
        this.metrics = metrics;
        this.repos = repos;
        this.db = repos.database();
        this.leaseSeconds = leaseSeconds;
        this.policies = policies;
        this.kinds = kinds;
        this.messages = new UserMessageRecorder(repos.messages(), repos.clock(), messageTtl);
        this.secrets = new GrantSecrets(repos.attempts());
    }

    /**
     * A claim with no cast context (no project, no roles): only jobs Ferry's API created are granted, a cast
     * without a job is refused as one its context may not ask for.
     */
    public StateRpc.Grant claim(StateRpc.Claim claim, String requestId) throws RpcFailureException {
        return claim(claim, new RequestContext(null, null, false, List.of(), requestId, null, null, null));
    }

    /**
     * Grants the job, or throws a {@code ClaimRefused} failure saying why not. {@code caller} is the context of
     * the cast being claimed: it decides whether a cast that Ferry's API did not send may have its job.
     */
    public StateRpc.Grant claim(StateRpc.Claim claim, RequestContext caller) throws RpcFailureException {
        String shareId = claim.shareId() != null || claim.backup() == null ? claim.shareId() : claim.backup().shareId();
        try {
            Decision decision = db.inTransaction(c -> decide(c, claim, shareId, caller));
            StateRpc.Grant grant = decision.grant();
            if (decision.attemptOpened()) {
                metrics.started(decision.kind());
            }
            LOG.info("granted job {} ({} of backup {}, share {}) to node {} at epoch {}", grant.jobId(),
                    claim.kind().wireName(), claim.backupId(), shareId, claim.node(), grant.epoch());
            return grant;
        } catch (CastForbidden forbidden) {
            Notice notice = forbidden.notice();
            db.inTransaction(c -> messages.record(c, notice.action(), FailureDetail.REQUEST_PROJECT_NOT_ALLOWED,
                    notice.resourceType(), notice.resourceId(), notice.projectId(), caller.requestId()));
            LOG.warn("refused claim of {} for backup {}, share {} by node {}: {}", claim.kind().wireName(),
                    claim.backupId(), shareId, claim.node(), forbidden.reason());
            throw new RpcFailureException(StateRpc.refusedToPark(forbidden.reason()));
        } catch (Refusal refusal) {
            LOG.info("refused claim of {} for backup {}, share {} by node {}: {}", claim.kind().wireName(),
                    claim.backupId(), shareId, claim.node(), refusal.reason());
            throw new RpcFailureException(StateRpc.refused(refusal.reason()));
        }
    }

    /** A grant, and whether it opened an attempt (not when it repeats a grant whose reply was lost). */
    private record Decision(StateRpc.Grant grant, JobKind kind, boolean attemptOpened) {
    }

    private Decision decide(Connection c, StateRpc.Claim claim, String shareId, RequestContext caller)
            throws SQLException {
        String requestId = caller.requestId();
        String backupId = claim.backupId();
        Optional<Job> queued = repos.jobs().oldestQueued(c, claim.kind(), backupId, shareId);
        if (queued.isPresent()) {
            if (!repos.jobs().claim(c, queued.get().id(), claim.node(), leaseUntil())) {
                Job now = repos.jobs().find(c, queued.get().id()).orElseThrow();
                throw Refusal.invalid(describe(now));
            }
            Job claimed = repos.jobs().find(c, queued.get().id()).orElseThrow();
            repos.attempts().open(c, claimed.id(), claimed.epoch(), claim.node());
            return new Decision(granted(c, claimed, claim), claimed.kind(), true);
        }
        Optional<Job> running = repos.jobs().latest(c, claim.kind(), backupId, shareId)
                .filter(j -> j.status() == JobStatus.RUNNING);
        if (running.isPresent()) {
            Job job = running.get();
            // The holder claiming again lost the grant's reply (e.g. its reply queue vanished in a broker
            // restart): give it the same grant (with a new secret) rather than make the job wait out its lease.
            // Only the claim that got it knows its token: a node name proves nothing.
            if (claim.node() != null && claim.node().equals(job.node())
                    && (requestId == null || requestId.equals(job.requestId()))
                    && secrets.sameClaim(c, job.id(), job.epoch(), claim.claimToken())
                    && repos.jobs().renew(c, job.id(), job.epoch(), claim.node(), leaseUntil())) {
                LOG.info("node {} claimed job {} again (its grant was lost); same epoch {}", claim.node(), job.id(),
                        job.epoch());
                return new Decision(granted(c, job, claim), job.kind(), false);
            }
            throw Refusal.invalid(describe(job));
        }
        if (requestId != null) {
            Optional<Job> replayed = repos.jobs().forRequest(c, claim.kind(), backupId, shareId, requestId);
            if (replayed.isPresent()) {
                throw Refusal.invalid(describe(replayed.get()) + "; this cast is a replay of request " + requestId);
            }
        }
        KindRules.Held held = kinds.of(claim.kind()).adopt(c, new KindRules.ForeignCast(policies, caller, backupId,
                shareId));
        Job inserted = insertRunning(c, claim.kind(), held.backupId(), held.shareId(), claim.node(), requestId);
        return new Decision(granted(c, inserted, claim), inserted.kind(), true);
    }

    /**
     * The grant of {@code job}, with a new secret whose hash is kept with the attempt, and the attempt's number (from
     * 1: above it, an earlier attempt may have written part of the target, and a restore resumes).
     */
    private StateRpc.Grant granted(Connection c, Job job, StateRpc.Claim claim) throws SQLException {
        StateRpc.Grant grant = kinds.of(job.kind()).grant(c, job, leaseSeconds);
        return grant.withSecret(secrets.issue(c, job.id(), job.epoch(), claim.claimToken()))
                .withAttempt(Math.max(1, repos.attempts().count(c, job.id())));
    }

    private Job insertRunning(Connection c, JobKind kind, String backupId, String shareId, String node,
                              String requestId) throws SQLException {
        LocalDateTime now = Timestamps.now(repos.clock());
        Job job = new Job(UUID.randomUUID().toString(), kind, backupId, shareId, JobStatus.RUNNING, 1, node,
                requestId, null, null, now.plusSeconds(leaseSeconds), now, now);
        repos.jobs().insert(c, job);
        repos.attempts().open(c, job.id(), job.epoch(), node);
        return job;
    }

    private LocalDateTime leaseUntil() {
        return Timestamps.now(repos.clock()).plusSeconds(leaseSeconds);
    }

    private static String describe(Job job) {
        String what = "job " + job.id() + " (" + job.kind().wireName() + (job.backupId() == null ? "" : " of backup "
                + job.backupId() + ",") + " share " + job.shareId() + ")";
        return switch (job.status()) {
            case RUNNING -> what + " is already claimed by node " + job.node() + " at epoch " + job.epoch();
            case QUEUED -> what + " is still queued";
            case SUCCEEDED -> what + " already succeeded";
            case FAILED -> what + " already failed";
            case CANCELLED -> what + " was " + (job.reason() == null ? "cancelled" : job.reason());
        };
    }
}
