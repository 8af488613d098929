package dev.ferry.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a data node stops. When asked to ({@link #close}, on SIGTERM): no slot takes casts any more, running jobs get
 * the drain time to finish, those still running are cancelled and released to other nodes, and the node
 * disconnects. On its own, when a job's thread cannot be stopped ({@link #jobCannotStop}): the node is unready at
 * once (no slot takes casts, so the broker gives them to other nodes), logs why, drains the same way without
 * waiting for the stuck job, disconnects, and exits with {@link #EXIT_STUCK_JOB} so that its supervisor starts a
 * fresh process. A node that finds a stuck job while it drains exits with that status too.
 */
final class NodeShutdown implements StuckJob.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(NodeShutdown.class);
    /** The exit status of a node that had a job it could not stop (EX_TEMPFAIL: try again, in a new process). */
    static final int EXIT_STUCK_JOB = 75;

    private final String node;
    private final List<Slot> slots;
    private final Duration drainTimeout;
    private final Duration handlingWait;
    private final LongSupplier nanoTime;
    private final Runnable disconnect;
    private final NodeExit exit;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean stopping;
    private StuckJob stuck;

    /**
     * @param handlingWait how long a drain waits for a delivery still being handled (a claim under way)
     * @param disconnect   closes what the node opened (timers, channels, the connection), once the slots drained
     */
    NodeShutdown(String node, List<? extends Slot> slots, Duration drainTimeout, Duration handlingWait,
                 LongSupplier nanoTime, Runnable disconnect, NodeExit exit) {
        this.node = node;
        this.slots = List.copyOf(slots);
        this.drainTimeout = drainTimeout;
        this.handlingWait = handlingWait;
        this.nanoTime = nanoTime;
        this.disconnect = disconnect;
        this.exit = exit;
    }

    /** False from the moment the node stops or gives up: it takes no casts then. */
    synchronized boolean ready() {
        return !stopping;
    }

    /** A job's thread did not stop: unready now, then drain, disconnect and exit, on a thread of its own. */
    @Override
    public void jobCannotStop(StuckJob job) {
        boolean retire;
        synchronized (this) {
            if (stuck == null) {
                stuck = job;
            }
            retire = !stopping;
            stopping = true;
        }
        if (!retire) {
            LOG.error("data node {}: job {} could not be stopped while the node stops; the node exits with status {} "
                    + "once its other jobs are drained, so that its supervisor starts a new process", node,
                    job.jobId(), EXIT_STUCK_JOB);
            return;
        }
        slots.forEach(Slot::stopConsuming);
        LOG.error("data node {} is no longer ready: job {} (request {}) did not stop within {} of being cancelled "
                + "because {}; its thread is stuck (most likely in the kernel, on a dead NFS mount) and only a new "
                + "process frees it. The node takes no more casts (other nodes get them), lets its other running jobs "
                + "finish within {} s (FERRY_DRAIN_SECONDS), then exits with status {} so that its supervisor "
                + "(systemd, Kubernetes) restarts it; check the NFS servers this node mounts", node, job.jobId(),
                job.requestId(), job.waitedText(), job.cancelledBecause(), drainTimeout.toSeconds(),
                EXIT_STUCK_JOB);
        Thread retirement = new Thread(this::drainAndExit, "ferry-retire-" + node);
        retirement.start();
    }

    private void drainAndExit() {
        try {
            drain();
            exitStuck();
        } finally {
            stopped.countDown();
        }
    }

    /**
     * Drains and disconnects; exits with {@link #EXIT_STUCK_JOB} when a job could not be stopped. While the node
     * gives up on its own, waits for that instead (which ends the process).
     */
    void close() {
        boolean first;
        synchronized (this) {
            first = !stopping;
            stopping = true;
        }
        if (!first) {
            awaitStopped();
            return;
        }
        try {
            drain();
            if (stuckJob() != null) {
                exitStuck();
            }
        } finally {
            stopped.countDown();
        }
    }

    private synchronized StuckJob stuckJob() {
        return stuck;
    }

    private void exitStuck() {
        LOG.error("data node {} exits with status {}: job {} could not be stopped", node, EXIT_STUCK_JOB,
                stuckJob().jobId());
        exit.exit(EXIT_STUCK_JOB);
    }

    private void drain() {
        slots.forEach(Slot::stopConsuming);
        long running = slots.stream().filter(Slot::busy).count();
        LOG.info("data node {} draining: takes no more casts; {} running job(s) get up to {} s to finish", node,
                running, drainTimeout.toSeconds());
        long deadline = nanoTime.getAsLong() + drainTimeout.toNanos();
        List<Thread> drains = new ArrayList<>();
        for (Slot slot : slots) {
            Thread drain = new Thread(() -> slot.drain(deadline, handlingWait), "drain-" + node + "-" + drains.size());
            drain.start();
            drains.add(drain);
        }
        for (Thread drain : drains) {
            try {
                drain.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        disconnect.run();
        LOG.info("data node {} stopped", node);
    }

    private void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
