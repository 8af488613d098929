package dev.ferry.data;

import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.FailureReasons;
import dev.ferry.messages.StateRpc.Grant;
import dev.ferry.messages.StateRpc.Hold;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the jobs one slot claims, one at a time, on the slot's thread, keeping each job's lease and watching its
 * progress while it runs. A lost lease cancels and silences the job. A job that makes no progress for the stall
 * time ({@link StallWatchdog}) is failed in its place, saying where it was stuck, and cancelled. A job that
 * throws anything, even an {@link Error} such as {@link OutOfMemoryError}, fails with a reason that says so, and
 * the runner goes on with the next job. A drain lets the running job finish until a deadline, then cancels it
 * without reporting a failure and, once it has stopped writing, gives it back to the api-gateway
 * ({@code release_job}) so that another node resumes it at once. A job that was cancelled (for any of these
 * reasons) and has not returned within {@link JobLimits#stopWait} is stuck where Java cannot reach it: its lease
 * is no longer renewed, and the {@link StuckJob.Listener} is told, once.
 */
final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /** How long a cancelled job may take to stop (it unmounts in the end) before its thread counts as stuck. */
    static final Duration STOP_WAIT = Duration.ofSeconds(60);

    /** The job that runs now, with what keeps its lease and what watches its progress. */
    private record Running(JobContext context, Job job, Hold hold, LeaseKeeper lease, StallWatchdog watchdog) {
    }

    private final String node;
    private final Function<Grant, JobContext> contexts;
    private final Function<JobContext, Job> jobs;
    private final LeaseClient leases;
    private final LeaseKeeper.Timer timer;
    private final LongSupplier nanoTime;
    private final Duration callTimeout;
    private final JobLimits limits;
    private final StuckJob.Listener onStuck;
    private final Object lock = new Object();
    private Running current;
    /** The job that could not be stopped; it keeps {@link #current} until (if ever) its thread returns. */
    private Running stuck;
    /** Checks, after a cancel, that the job returned within {@link JobLimits#stopWait}. */
    private Future<?> stopCheck;
    private boolean draining;

    JobRunner(String node, Function<Grant, JobContext> contexts, Function<JobContext, Job> jobs, LeaseClient leases,
              LeaseKeeper.Timer timer, LongSupplier nanoTime, Duration callTimeout, JobLimits limits,
              StuckJob.Listener onStuck) {
        this.node = node;
        this.contexts = contexts;
        this.jobs = jobs;
        this.leases = leases;
        this.timer = timer;
        this.nanoTime = nanoTime;
        this.callTimeout = callTimeout;
        this.limits = limits;
        this.onStuck = onStuck;
    }

    /**
     * The one place on the data node that branches on the job kind: each kind has its class, which holds what the
     * kind means here. Restores run as {@link RestoreBackupJob}, backups as {@link CreateBackupJob}, backup
     * deletions as {@link DeleteBackupJob}; the {@code subdir} share jobs as {@link CreateShareJob},
     * {@link DeleteShareJob} and {@link ShrinkShareJob}; verifications as {@link VerifyBackupJob}.
     */
    static Job jobFor(JobContext context) {
        return switch (context.grant().kind()) {
            case RESTORE -> new RestoreBackupJob(context);
            case CREATE_BACKUP -> new CreateBackupJob(context);
            case DELETE_BACKUP -> new DeleteBackupJob(context);
            case CREATE_SHARE -> new CreateShareJob(context);
            case DELETE_SHARE -> new DeleteShareJob(context);
            case SHRINK_SHARE -> new ShrinkShareJob(context);
            case VERIFY_BACKUP -> new VerifyBackupJob(context);
        };
    }

    /**
     * Runs a claimed job to its end; while the node drains, gives it back at once instead. Returns normally
     * whatever the job throws (that failure is reported).
     */
    void run(Grant grant) {
        JobContext context = contexts.apply(grant);
        Job job = jobs.apply(context);
        Hold hold = new Hold(grant.jobId(), grant.epoch(), node, grant.secret());
        LeaseKeeper lease = new LeaseKeeper(hold, grant.leaseSeconds(), leases, nanoTime, context.requestId(),
                reason -> leaseLost(context, job, reason));
        StallWatchdog watchdog = new StallWatchdog(job.cancellation(), limits.stallAfter(), nanoTime,
                context.requestId(), stall -> stalled(job, stall));
        context.announceWritingThrough(lease::beginWriting);
        Running running = new Running(context, job, hold, lease, watchdog);
        boolean started;
        synchronized (lock) {
            started = !draining;
            if (started) {
                current = running;
            }
        }
        if (!started) {
            LOG.info("job {} was claimed as this node began draining; giving it back without starting it",
                    grant.jobId());
            release(hold, drainReason(), context.requestId());
            return;
        }
        watchdog.start(timer);
        lease.start(timer);
        try {
            job.run();
            if (lease.endedByApi()) {
                LOG.info("job {} stopped: Ferry's API ended it (cancelled, or fenced by an admin's reset_status)",
                        grant.jobId());
                job.discardAfterEnd();
            } else if (lease.lost()) {
                LOG.info("job {} stopped after its lease was lost", grant.jobId());
            }
        } catch (Throwable error) { // an Error too (out of memory): the job fails, the slot goes on
            died(running, error);
        } finally {
            watchdog.stop();
            lease.stop();
            synchronized (lock) {
                current = null;
                if (stopCheck != null) {
                    stopCheck.cancel(false);
                    stopCheck = null;
                }
                lock.notifyAll();
            }
        }
    }

    private void died(Running running, Throwable error) {
        JobContext context = running.context();
        Grant grant = context.grant();
        Job job = running.job();
        String reason = UnexpectedFailure.reason(error, job.activity(), job.cancellation().lastProgressAt(),
                context.requestId());
        if (context.failInsteadOfJob(FailureDetail.UNKNOWN_ERROR, reason, job.mayHaveWrittenTarget(),
                "the runner")) {
            LOG.error("job {} failed: {}", grant.jobId(), FailureReasons.bound(reason), error);
        } else {
            LOG.warn("job {} threw {} after its outcome was reported or it was given up; nothing sent", grant.jobId(),
                    error.toString(), error);
        }
    }

    /** On the watchdog's timer: fails the job in its place, then cancels it. */
    private void stalled(Job job, Stall stall) {
        Running running = runningNow(job);
        if (running == null) {
            return; // it ended meanwhile
        }
        JobContext context = running.context();
        Grant grant = context.grant();
        String reason = stall.reason();
        if (context.failInsteadOfJob(job.stallDetail(), reason, job.mayHaveWrittenTarget(), "the stall watchdog")) {
            LOG.error("job {} stalled; reported its failure and cancelling it: {}", grant.jobId(),
                    FailureReasons.bound(reason));
        } else {
            LOG.warn("job {} made no progress for {} s after its outcome was reported or it was given up; "
                    + "cancelling it", grant.jobId(), stall.quiet().toSeconds());
        }
        cancelAndWatch(job, "it made no progress for " + stall.quiet().toSeconds() + " s");
    }

    private void leaseLost(JobContext context, Job job, String reason) {
        if (context.silence("the lease of job " + context.grant().jobId() + " was lost")) {
            LOG.warn("lease of job {} lost: {}; stopping it from writing", context.grant().jobId(), reason);
            cancelAndWatch(job, "its lease was lost");
        } else {
            LOG.info("lease of job {} lost after it reported its outcome: {}", context.grant().jobId(), reason);
        }
    }

    /** The running job if it is {@code job}, else null. */
    private Running runningNow(Job job) {
        synchronized (lock) {
            return current != null && current.job() == job ? current : null;
        }
    }

    /** Cancels a running job and checks, {@link JobLimits#stopWait} later, that its thread returned. */
    private void cancelAndWatch(Job job, String because) {
        Running running;
        synchronized (lock) {
            running = current != null && current.job() == job ? current : null;
            if (running == null) {
                return;
            }
            if (stopCheck == null && stuck == null) {
                stopCheck = timer.schedule(() -> checkStopped(running, because), limits.stopWait());
            }
        }
        running.watchdog().stop();
        job.cancel();
    }

    private void checkStopped(Running running, String because) {
        boolean newlyStuck;
        synchronized (lock) {
            stopCheck = null;
            newlyStuck = current == running && stuck == null;
            if (newlyStuck) {
                stuck = running;
                lock.notifyAll();
            }
        }
        if (newlyStuck) {
            MDC.put("request_id", running.context().requestId());
            MDC.put("job_id", running.hold().jobId());
            try {
                declareStuck(running, because);
            } finally {
                MDC.remove("request_id");
                MDC.remove("job_id");
            }
        }
    }

    /** Tells the node about a job that did not stop (the caller has set {@link #stuck}). */
    private void declareStuck(Running running, String because) {
        StuckJob job = new StuckJob(running.hold().jobId(), running.hold().epoch(), running.context().requestId(),
                because, limits.stopWait());
        LOG.error("job {} did not stop within {} of being cancelled ({}): its thread is stuck where the node cannot "
                + "stop it, most likely in the kernel on a dead NFS mount. Its lease is no longer renewed and it is "
                + "not released while it may still write, so the api-gateway gives it to another node when the lease "
                + "runs out", job.jobId(), job.waitedText(), because);
        running.lease().stop();
        onStuck.jobCannotStop(job);
    }

    boolean busy() {
        synchronized (lock) {
            return current != null;
        }
    }

    /** Whether a job of this runner could not be stopped after a cancel (its thread may never return). */
    boolean stuck() {
        synchronized (lock) {
            return stuck != null;
        }
    }

    /**
     * Lets the running job finish until {@code deadlineNanos} (on {@link #nanoTime}); then cancels it, sending
     * no failure, waits for it to stop and releases it. A job known to be stuck is not waited for. No job starts
     * on this runner afterwards.
     */
    void drain(long deadlineNanos) {
        Running running;
        synchronized (lock) {
            draining = true;
            running = current;
            if (running == null) {
                return;
            }
            if (awaitIdle(deadlineNanos)) {
                LOG.info("job {} finished while draining", running.hold().jobId());
                return;
            }
            running = current;
            if (running == stuck) {
                LOG.warn("job {} cannot be stopped (its thread is stuck); the drain does not wait for it",
                        running.hold().jobId());
                return;
            }
        }
        MDC.put("request_id", running.context().requestId());
        MDC.put("job_id", running.hold().jobId());
        try {
            abandon(running);
        } finally {
            MDC.remove("request_id");
            MDC.remove("job_id");
        }
    }

    private void abandon(Running running) {
        String jobId = running.hold().jobId();
        boolean silenced = running.context().silence("node " + node + " drained and released the job");
        running.watchdog().stop();
        if (silenced) {
            running.job().cancel();
            LOG.warn("job {} still running when the drain time ran out: cancelled it, reporting no failure", jobId);
        } else {
            LOG.info("job {} reported its outcome as the drain time ran out; letting it send that", jobId);
        }
        boolean stopped;
        boolean newlyStuck;
        synchronized (lock) {
            stopped = awaitIdle(nanoTime.getAsLong() + limits.stopWait().toNanos());
            newlyStuck = !stopped && stuck == null;
            if (newlyStuck) {
                stuck = running;
            }
        }
        if (newlyStuck) {
            declareStuck(running, "the node drained");
        }
        if (stopped && silenced) {
            release(running.hold(), drainReason(), running.context().requestId());
        }
    }

    private String drainReason() {
        return "node " + node + " drained";
    }

    /**
     * Waits (holding {@link #lock}) until no job runs, the running job is known to be stuck, or the deadline
     * passes; true when idle.
     */
    private boolean awaitIdle(long deadlineNanos) {
        try {
            for (long left = deadlineNanos - nanoTime.getAsLong(); current != null && current != stuck && left > 0;
                 left = deadlineNanos - nanoTime.getAsLong()) {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return current == null;
    }

    private void release(Hold hold, String reason, String requestId) {
        try {
            leases.release(hold, reason, requestId, callTimeout);
            LOG.info("released job {} (epoch {}): {}; another node resumes it", hold.jobId(), hold.epoch(), reason);
        } catch (LeaseLostException e) {
            LOG.info("job {} needed no release: {}", hold.jobId(), e.getMessage());
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warn("cannot release job {} ({}); the api-gateway re-dispatches it when its lease runs out",
                    hold.jobId(), e.getMessage());
        }
    }
}
