package dev.ferry.api.service;

import dev.ferry.api.metrics.JobMetrics;
import dev.ferry.api.model.JobAttempt;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.jobs.kinds.Notice;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.RequestContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a queued or running job for Ferry's API, inside the caller's transaction: a user's {@code cancel}, or the
 * fence an admin's reset_status (or a delete) puts on a job that holds what it changes. The job becomes
 * {@code cancelled}; its attempt closes; its backup and share move straight to what a cancel of its kind leaves
 * (its kind's {@link dev.ferry.api.jobs.kinds.KindRules#cancel}); a user message says it was cancelled and by whom. From then on its node's lease calls
 * are answered {@code LeaseLost} (flagged as ended by the API, so the node discards what the job made) and its
 * transitions are dropped, so a status the admin sets afterwards stays.
 */
public final class JobStop {
    private static final Logger LOG = LoggerFactory.getLogger(JobStop.class);
    private final Repositories repos;
    private final Duration messageTtl;
    private final JobKinds kinds;
    private final JobMetrics metrics;

    /** User messages live {@code messageTtl} ({@code FERRY_MESSAGE_TTL}); Ferry's kinds. */
    public JobStop(Repositories repos, Duration messageTtl) {
        this(repos, messageTtl, JobKinds.standard(repos));
    }

    /** {@code kinds}: what a cancel of each job kind leaves. */
    public JobStop(Repositories repos, Duration messageTtl, JobKinds kinds) {
        this(repos, messageTtl, kinds, JobMetrics.none());
    }

    /**
     * As above, counting each job ended in {@code metrics} (as {@code cancelled}, when {@link #end} returns: the
     * caller's transaction commits it in all but a failure that is its own error).
     */
    public JobStop(Repositories repos, Duration messageTtl, JobKinds kinds, JobMetrics metrics) {
        this.metrics = metrics;
        this.repos = repos;
        this.messageTtl = messageTtl;
        this.kinds = kinds;
    }

    /** Manila's {@code message_ttl} default, 30 days. */
    public static JobStop withDefaultMessageTtl(Repositories repos) {
        return new JobStop(repos, Duration.ofDays(30));
    }

    /**
     * Who ended a job, and (for a fence) the admin's change that did: "user alice of project demo", "user admin of
     * project admin, who reset the status of share X to available".
     */
    public record Why(String userId, String projectId, String because) {
        public static Why cancel(RequestContext caller) {
            return new Why(caller.userId(), caller.projectId(), null);
        }

        public static Why fence(RequestContext caller, String change) {
            return new Why(caller.userId(), caller.projectId(), change);
        }

        String who() {
            return "user " + userId + " of project " + projectId + (because == null ? "" : ", who " + because);
        }
    }

    /** The kinds' table, for the services that decide which jobs to end. */
    public JobKinds kinds() {
        return kinds;
    }

    /** Ends {@code job} (whose row the caller locked); false when it was no longer queued or running at its epoch. */
    public boolean end(Connection c, Job job, Why why) throws SQLException {
        String reason = "cancelled by " + why.who();
        if (!repos.jobs().cancel(c, job.id(), job.epoch(), FailureDetail.JOB_CANCELLED.id(), reason)) {
            return false;
        }
        LocalDateTime claimedAt = null;
        if (job.status() == JobStatus.RUNNING) {
            claimedAt = repos.attempts().forJob(c, job.id()).stream().filter(a -> a.epoch() == job.epoch())
                    .map(JobAttempt::startedAt).findFirst().orElse(null);
            repos.attempts().close(c, job.id(), job.epoch(), reason);
        }
        // A holder announces (begin_writing) before it writes into a target, in this attempt or an earlier one.
        boolean mayHaveWritten = repos.jobs().targetWritten(c, job.id());
        Notice notice = kinds.of(job.kind()).cancel(c, job, mayHaveWritten, reason);
        if (notice != null) {
            LocalDateTime now = Timestamps.now(repos.clock());
            repos.messages().insert(c, new UserMessage(UUID.randomUUID().toString(), notice.projectId(),
                    job.requestId(), notice.resourceType(), notice.resourceId(), notice.action().id(),
                    FailureDetail.JOB_CANCELLED.id(), "ERROR", now, now.plus(messageTtl),
                    "Cancelled by " + why.who() + ", before it finished."));
        }
        LOG.warn("job {} ({} of backup {}, share {}) {} at epoch {}; {}", job.id(), job.kind().wireName(),
                job.backupId(), job.shareId(), reason, job.epoch(), notice == null ? "no status changed"
                        : "statuses moved to what a cancel leaves");
        metrics.ended(job.kind(), JobMetrics.CANCELLED,
                claimedAt == null ? null : Duration.between(claimedAt, Timestamps.now(repos.clock())));
        return true;
    }

    /**
     * Fences every queued or running job that holds {@code backupId} or {@code shareId} (either may be null) before
     * an admin's change to it; returns the jobs ended.
     */
    public List<Job> endHolders(Connection c, String backupId, String shareId, Why why) throws SQLException {
        Map<String, Job> holders = new LinkedHashMap<>();
        if (backupId != null) {
            repos.jobs().activeForBackupForUpdate(c, backupId).forEach(j -> holders.put(j.id(), j));
        }
        if (shareId != null) {
            repos.jobs().activeForShareForUpdate(c, shareId).forEach(j -> holders.putIfAbsent(j.id(), j));
        }
        List<Job> ended = new ArrayList<>();
        for (Job job : holders.values()) {
            if (end(c, job, why)) {
                ended.add(job);
            }
        }
        return ended;
    }
}
