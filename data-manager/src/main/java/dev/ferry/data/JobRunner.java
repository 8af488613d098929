package dev.ferry.data;

import dev.ferry.messages.JobKind;
import dev.ferry.messages.StateRpc.Grant;
import dev.ferry.messages.StateRpc.Hold;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the jobs one slot claims, one at a time, on the slot's thread, keeping each job's lease while it
 * runs. A lost lease cancels and silences the job. A drain lets the running job finish until a deadline,
 * then cancels it without reporting a failure and, once it has stopped writing, gives it back to the
 * api-gateway ({@code release_job}) so that another node resumes it at once.
 */
final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /** How long a cancelled job may take to stop (it unmounts in the end) before the drain gives up on it. */
    static final Duration STOP_WAIT = Duration.ofSeconds(60);

    /** The job that runs now, with what stops it. */
    private record Running(JobContext context, Job job, Hold hold) {
    }

    private final String node;
    private final Function<Grant, JobContext> contexts;
    private final Function<JobContext, Job> jobs;
    private final LeaseClient leases;
    private final LeaseKeeper.Timer timer;
    private final LongSupplier nanoTime;
    private final Duration callTimeout;
    private final Object lock = new Object();
    private Running current;
    private boolean draining;

    JobRunner(String node, Function<Grant, JobContext> contexts, Function<JobContext, Job> jobs, LeaseClient leases,
              LeaseKeeper.Timer timer, LongSupplier nanoTime, Duration callTimeout) {
        this.node = node;
        this.contexts = contexts;
        this.jobs = jobs;
        this.leases = leases;
        this.timer = timer;
        this.nanoTime = nanoTime;
        this.callTimeout = callTimeout;
    }

    /**
     * Restores run as {@link RestoreJob}, backups as {@link BackupJob}, deletions as {@link DeleteJob}; the
     * {@code subdir} share jobs as {@link CreateShareJob}, {@link DeleteShareJob} and {@link ShrinkShareJob}.
     */
    static Job jobFor(JobContext context) {
        return switch (context.grant().kind()) {
            case RESTORE -> new RestoreJob(context);
            case CREATE_BACKUP -> new BackupJob(context);
            case DELETE_BACKUP -> new DeleteJob(context);
            case CREATE_SHARE -> new CreateShareJob(context);
            case DELETE_SHARE -> new DeleteShareJob(context);
            case SHRINK_SHARE -> new ShrinkShareJob(context);
        };
    }

    /** Runs a claimed job to its end; while the node drains, gives it back at once instead. */
    void run(Grant grant) {
        JobContext context = contexts.apply(grant);
        Job job = jobs.apply(context);
        Hold hold = new Hold(grant.jobId(), grant.epoch(), node);
        boolean started;
        synchronized (lock) {
            started = !draining;
            if (started) {
                current = new Running(context, job, hold);
            }
        }
        if (!started) {
            LOG.info("job {} was claimed as this node began draining; giving it back without starting it",
                    grant.jobId());
            release(hold, drainReason(), context.requestId());
            return;
        }
        LeaseKeeper lease = new LeaseKeeper(hold, grant.leaseSeconds(), leases, nanoTime, context.requestId(),
                reason -> leaseLost(context, job, reason));
        lease.start(timer);
        try {
            job.run();
        } finally {
            lease.stop();
            synchronized (lock) {
                current = null;
                lock.notifyAll();
            }
        }
    }

    private void leaseLost(JobContext context, Job job, String reason) {
        if (context.silence("the lease of job " + context.grant().jobId() + " was lost")) {
            job.cancel();
            LOG.warn("lease of job {} lost: {}; stopped writing", context.grant().jobId(), reason);
        } else {
            LOG.info("lease of job {} lost after it reported its outcome: {}", context.grant().jobId(), reason);
        }
    }

    boolean busy() {
        synchronized (lock) {
            return current != null;
        }
    }

    /**
     * Lets the running job finish until {@code deadlineNanos} (on {@link #nanoTime}); then cancels it, sending
     * no failure, waits for it to stop and releases it. No job starts on this runner afterwards.
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
        }
        MDC.put("request_id", running.context().requestId());
        try {
            abandon(running);
        } finally {
            MDC.remove("request_id");
        }
    }

    private void abandon(Running running) {
        String jobId = running.hold().jobId();
        if (!running.context().silence("node " + node + " drained and released the job")) {
            LOG.info("job {} reported its outcome as the drain time ran out; letting it send that", jobId);
            synchronized (lock) {
                awaitIdle(nanoTime.getAsLong() + STOP_WAIT.toNanos());
            }
            return;
        }
        running.job().cancel();
        LOG.warn("job {} still running when the drain time ran out: cancelled it, reporting no failure", jobId);
        boolean stopped;
        synchronized (lock) {
            stopped = awaitIdle(nanoTime.getAsLong() + STOP_WAIT.toNanos());
        }
        if (!stopped) {
            LOG.error("job {} did not stop within {} s of being cancelled; not releasing it while it may still write. "
                    + "The api-gateway re-dispatches it when its lease runs out", jobId, STOP_WAIT.toSeconds());
            return;
        }
        release(running.hold(), drainReason(), running.context().requestId());
    }

    private String drainReason() {
        return "node " + node + " drained";
    }

    /** Waits (holding {@link #lock}) until no job runs or the deadline passes; true when idle. */
    private boolean awaitIdle(long deadlineNanos) {
        try {
            for (long left = deadlineNanos - nanoTime.getAsLong(); current != null && left > 0;
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
