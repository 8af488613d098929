package dev.ferry.api.jobs;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.StateRpc;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code renew_lease} and {@code release_job}: a node extends its hold on a running job, or gives it back
 * while draining. Both are compare-and-sets on the hold (job, epoch, node), and count only when they present
 * the secret of the grant at that epoch ({@link GrantSecrets}): a node name proves nothing. A hold that is no
 * longer the job's, or a call without the grant's secret (logged at WARN, nothing changed), answers
 * {@code LeaseLost}, which tells the node to stop writing.
 */
public final class LeaseService {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseService.class);
    private final Database db;
    private final Repositories repos;
    private final JobRequeue requeue;
    private final CastOutbox outbox;
    private final int leaseSeconds;
    private final GrantSecrets secrets;

    public LeaseService(Repositories repos, JobRequeue requeue, CastOutbox outbox, int leaseSeconds) {
        this.repos = repos;
        this.db = repos.database();
        this.requeue = requeue;
        this.outbox = outbox;
        this.leaseSeconds = leaseSeconds;
        this.secrets = new GrantSecrets(repos.attempts());
    }

    /** Extends the hold by the lease length; returns that length in seconds. */
    public int renew(StateRpc.Hold hold) throws RpcFailureException {
        requireSecret(hold, StateRpc.RENEW_LEASE);
        boolean renewed = db.inTransaction(c -> repos.jobs().renew(c, hold.jobId(), hold.epoch(), hold.node(),
                Timestamps.now(repos.clock()).plusSeconds(leaseSeconds)));
        if (!renewed) {
            throw lost(hold, "its lease was not renewed");
        }
        LOG.debug("node {} renewed its lease on job {} at epoch {} for {} s", hold.node(), hold.jobId(), hold.epoch(),
                leaseSeconds);
        return leaseSeconds;
    }

    /**
     * The holder is about to write into the job's target: recorded (so that a cancel or fence leaves the target
     * {@code backup_restoring_error}), or {@code LeaseLost} when it no longer holds the job (then it writes nothing).
     */
    public void beginWriting(StateRpc.Hold hold) throws RpcFailureException {
        requireSecret(hold, StateRpc.BEGIN_WRITING);
        boolean marked = db.inTransaction(c -> repos.jobs().markTargetWritten(c, hold.jobId(), hold.epoch(),
                hold.node()));
        if (!marked) {
            throw lost(hold, "it may write nothing");
        }
        LOG.info("node {} begins writing the target of job {} at epoch {}", hold.node(), hold.jobId(), hold.epoch());
    }

    /** Gives the job back: queued again at the next epoch and cast again for another node. */
    public void release(StateRpc.Hold hold, String reason) throws RpcFailureException {
        requireSecret(hold, StateRpc.RELEASE_JOB);
        JobRequeue.Result result = db.inTransaction(c -> {
            Optional<Job> job = repos.jobs().findForUpdate(c, hold.jobId());
            return job.isEmpty() ? JobRequeue.Result.NOT_HELD
                    : requeue.release(c, job.get(), hold.epoch(), hold.node(), reason);
        });
        if (result == JobRequeue.Result.NOT_HELD) {
            throw lost(hold, "nothing was released");
        }
        outbox.committed();
        LOG.info("node {} released job {} at epoch {} ({})", hold.node(), hold.jobId(), hold.epoch(), reason);
    }

    /**
     * Passes when the hold presents the secret of the grant at its epoch. Otherwise the call is dropped and answered
     * {@code LeaseLost}: logged at WARN with the job id (never the secret) when the job runs at that epoch, so the
     * caller names a hold it cannot prove; as any lost hold when it does not.
     */
    private void requireSecret(StateRpc.Hold hold, String method) throws RpcFailureException {
        GrantSecrets.Proof proof = db.read(c -> secrets.presented(c, hold.jobId(), hold.epoch(), hold.secret()));
        if (proof == GrantSecrets.Proof.VALID) {
            return;
        }
        boolean runsAtThatEpoch = db.read(c -> repos.jobs().find(c, hold.jobId()))
                .filter(job -> job.status() == JobStatus.RUNNING && job.epoch() == hold.epoch()).isPresent();
        if (!runsAtThatEpoch) {
            throw lost(hold, StateRpc.RENEW_LEASE.equals(method) ? "its lease was not renewed" : "nothing was released");
        }
        LOG.warn("dropped {} of job {} at epoch {} from a caller naming itself node {}: it {}; nothing changed",
                method, hold.jobId(), hold.epoch(), hold.node(), proof.describe());
        throw new RpcFailureException(StateRpc.leaseLost("job " + hold.jobId() + " at epoch " + hold.epoch()
                + " is not held by this caller: the call " + proof.describe() + ". Stop working on it: its results "
                + "would be dropped."));
    }

    private RpcFailureException lost(StateRpc.Hold hold, String consequence) {
        Optional<Job> job = db.read(c -> repos.jobs().find(c, hold.jobId()));
        String now = job.map(LeaseService::describe).orElse("the job does not exist");
        String reason = "job " + hold.jobId() + " is no longer held by node " + hold.node() + " at epoch "
                + hold.epoch() + ": " + now + "; " + consequence + ". Stop working on it: its results would be "
                + "dropped.";
        LOG.info("{}", reason);
        boolean ended = job.filter(j -> j.status() == JobStatus.CANCELLED).isPresent();
        return new RpcFailureException(ended ? StateRpc.jobEnded(reason) : StateRpc.leaseLost(reason));
    }

    private static String describe(Job job) {
        return switch (job.status()) {
            case RUNNING -> "it is running at epoch " + job.epoch() + " on node " + job.node();
            case QUEUED -> "it is queued again at epoch " + job.epoch() + " (its lease expired or it was released)";
            case SUCCEEDED -> "it already succeeded";
            case FAILED -> "it already failed";
            case CANCELLED -> "it was " + (job.reason() == null ? "cancelled" : job.reason());
        };
    }
}
