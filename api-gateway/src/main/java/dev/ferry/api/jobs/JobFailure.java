package dev.ferry.api.jobs;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.jobs.kinds.Notice;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.FailureReasons;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed job leaves behind, inside the caller's transaction: the job failed with its detail and (bounded)
 * reason, its attempt closed, its backup and share in the statuses a failure of its kind gives them (its
 * {@link dev.ferry.api.jobs.kinds.KindRules}), and a user message where the kind says. Both a data node's failure
 * transition ({@link TransitionApplier}) and a job the reaper gives up on ({@link JobRequeue}) end this way. Callers
 * hold the job's row lock.
 */
public final class JobFailure {
    private static final Logger LOG = LoggerFactory.getLogger(JobFailure.class);
    /** Manila's resource type for share messages; Ferry's own for a failed backup creation or deletion. */
    public static final String RESOURCE_SHARE = Notice.SHARE;
    public static final String RESOURCE_SHARE_BACKUP = Notice.SHARE_BACKUP;
    /** Failures whose user message names the specifics the data node found (how many files, the first). */
    private static final Set<FailureDetail> NAMED_IN_MESSAGE = EnumSet.of(FailureDetail.DAMAGED_FILES);
    private final Repositories repos;
    private final UserMessageRecorder messages;
    private final JobKinds kinds;
    private final Duration messageTtl;

    /** User messages live {@code messageTtl} ({@code FERRY_MESSAGE_TTL}); Ferry's kinds. */
    public JobFailure(Repositories repos, Duration messageTtl) {
        this(repos, messageTtl, JobKinds.standard(repos));
    }

    public JobFailure(Repositories repos, Duration messageTtl, JobKinds kinds) {
        this.repos = repos;
        this.messages = new UserMessageRecorder(repos.messages(), repos.clock(), messageTtl);
        this.kinds = kinds;
        this.messageTtl = messageTtl;
    }

    /** How long the user messages it records live. */
    public Duration messageTtl() {
        return messageTtl;
    }

    /**
     * Fails {@code job} at its epoch. {@code reason} null means the detail's text; {@code targetTouched} says
     * whether a restore may have written into its target (then the target is left
     * {@code backup_restoring_error}; when not, the target gets back the source_backup_id it had before);
     * {@code attemptOutcome} closes the attempt. False when the job was not running at its epoch (nothing changed).
     */
    public boolean fail(Connection c, Job job, FailureDetail detail, String reason, boolean targetTouched,
                        String attemptOutcome) throws SQLException {
        String why = FailureReasons.bound(reason == null ? detail.text() : reason);
        if (!repos.jobs().finish(c, job.id(), job.epoch(), JobStatus.FAILED, detail.id(), why)) {
            return false;
        }
        repos.attempts().close(c, job.id(), job.epoch(), attemptOutcome);
        Notice notice = kinds.of(job.kind()).fail(c, job, detail, why, targetTouched);
        if (notice.projectId() == null) {
            LOG.warn("job {}: no user message recorded: {} {} is gone", job.id(), notice.resourceType(),
                    notice.resourceId());
        } else {
            // a kind's own text (a verify's count and paths) stands alone; otherwise the detail's text, with the
            // node's specifics for the details that name what they found
            String text = notice.detailText() != null ? notice.detailText()
                    : UserMessageRecorder.withSpecifics(detail, NAMED_IN_MESSAGE.contains(detail) && reason != null
                            ? why : null);
            messages.record(c, notice.action(), detail, UserMessageRecorder.ERROR, text, notice.resourceType(),
                    notice.resourceId(), notice.projectId(), job.requestId());
        }
        return true;
    }
}
