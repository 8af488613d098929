package dev.ferry.data;

import dev.ferry.messages.StateRpc.Hold;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Keeps a running job's lease: renews the hold every second (every third of the lease when that is shorter),
 * each call waiting at most a third of the lease (at least a second). Renewing that often is how a job that
 * Ferry's API ended (a user's cancel, an admin's reset_status) stops within about two seconds: the next renewal
 * is answered {@code LeaseLost}, flagged as {@link #endedByApi() ended by the API}. The lease is lost when
 * the api-gateway answers {@code LeaseLost}, or when no
 * renewal succeeded for longer than the lease, counted from when the last successful renewal was sent (by
 * then the gateway has taken the job back, or will): a timer fires at that moment, so a node cut off from
 * the gateway stops writing when its lease ends, not an interval later. The callback then stops and
 * silences the job; no renewal follows. Transient failures are retried until then.
 */
final class LeaseKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final Duration SHORTEST_CALL_TIMEOUT = Duration.ofSeconds(1);
    /** The longest time between renewals. */
    static final Duration LONGEST_INTERVAL = Duration.ofSeconds(1);
    private static final Duration SHORTEST_INTERVAL = Duration.ofMillis(100);

    /** Runs a task once after a delay (a {@link java.util.concurrent.ScheduledExecutorService} in production). */
    @FunctionalInterface
    interface Timer {
        Future<?> schedule(Runnable task, Duration delay);
    }

    private final Hold hold;
    private final LeaseClient client;
    private final LongSupplier nanoTime;
    private final String requestId;
    private final Consumer<String> onLost;
    private volatile int leaseSeconds;
    private volatile long renewedAt;
    private volatile String lastError = "none";
    private boolean stopped;
    private boolean lost;
    private volatile boolean endedByApi;
    private Timer timer;
    private Future<?> next;
    private Future<?> expiry;

    LeaseKeeper(Hold hold, int leaseSeconds, LeaseClient client, LongSupplier nanoTime, String requestId,
                Consumer<String> onLost) {
        this.hold = hold;
        this.leaseSeconds = leaseSeconds;
        this.client = client;
        this.nanoTime = nanoTime;
        this.requestId = requestId;
        this.onLost = onLost;
        this.renewedAt = nanoTime.getAsLong();
    }

    /** The time between renewals: a second, or a third of the lease when that is shorter. */
    Duration interval() {
        Duration third = third();
        if (third.compareTo(LONGEST_INTERVAL) > 0) {
            return LONGEST_INTERVAL;
        }
        return third.compareTo(SHORTEST_INTERVAL) < 0 ? SHORTEST_INTERVAL : third;
    }

    /** How long one renewal call may wait for its answer: a third of the lease, at least a second. */
    Duration callTimeout() {
        Duration third = third();
        return third.compareTo(SHORTEST_CALL_TIMEOUT) < 0 ? SHORTEST_CALL_TIMEOUT : third;
    }

    private Duration third() {
        return Duration.ofMillis(leaseSeconds * 1000L / 3);
    }

    synchronized void start(Timer timer) {
        this.timer = timer;
        scheduleExpiry();
        scheduleNext();
    }

    private synchronized void scheduleNext() {
        if (!stopped && !lost && timer != null) {
            next = timer.schedule(() -> {
                tick();
                scheduleNext();
            }, interval());
        }
    }

    /** Fires when the lease ends unless a renewal succeeds first (which schedules a new one). */
    private synchronized void scheduleExpiry() {
        if (stopped || lost || timer == null) {
            return;
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
        long renewal = renewedAt;
        long left = renewal + leaseSeconds * NANOS_PER_SECOND - nanoTime.getAsLong();
        expiry = timer.schedule(() -> expireUnlessRenewedSince(renewal), Duration.ofNanos(Math.max(0, left)));
    }

    private void expireUnlessRenewedSince(long renewal) {
        if (renewal == renewedAt) {
            MDC.put("request_id", requestId);
            try {
                lose(silence() + " (last error: " + lastError + ")");
            } finally {
                MDC.remove("request_id");
            }
        }
    }

    /**
     * Before the job's first write into its target: tells the api-gateway and waits for its answer, trying again
     * on transient failures while the lease lasts. True when the job may write; false when the lease was lost
     * meanwhile (a cancel, a fence or an expiry), which silences and stops the job as any lost lease does.
     */
    boolean beginWriting() {
        // runs on the job's own thread, whose log lines carry the job's ids: put back what was there
        String previous = MDC.get("request_id");
        MDC.put("request_id", requestId);
        try {
            while (true) {
                synchronized (this) {
                    if (stopped || lost) {
                        return false;
                    }
                }
                try {
                    client.beginWriting(hold, requestId, callTimeout());
                    return true;
                } catch (LeaseLostException e) {
                    endedByApi = e.endedByApi();
                    lose(e.getMessage());
                    return false;
                } catch (IOException | TimeoutException | RuntimeException e) {
                    long silentNanos = nanoTime.getAsLong() - renewedAt;
                    if (silentNanos > leaseSeconds * NANOS_PER_SECOND) {
                        lose(silence() + " (last error: " + e.getMessage() + ")");
                        return false;
                    }
                    LOG.warn("cannot tell the api-gateway that job {} begins writing ({}); trying again", hold.jobId(),
                            e.getMessage());
                    try {
                        Thread.sleep(interval().toMillis());
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
        } finally {
            if (previous == null) {
                MDC.remove("request_id");
            } else {
                MDC.put("request_id", previous);
            }
        }
    }

    /** One renewal; decides whether the lease is lost. */
    void tick() {
        synchronized (this) {
            if (stopped || lost) {
                return;
            }
        }
        MDC.put("request_id", requestId);
        try {
            long sentAt = nanoTime.getAsLong();
            int granted = client.renew(hold, requestId, callTimeout());
            if (granted > 0) {
                leaseSeconds = granted;
            }
            renewedAt = sentAt;
            scheduleExpiry();
            LOG.debug("renewed the lease of job {} (epoch {}) for {} s", hold.jobId(), hold.epoch(), leaseSeconds);
        } catch (LeaseLostException e) {
            endedByApi = e.endedByApi();
            lose(e.getMessage());
        } catch (IOException | TimeoutException | RuntimeException e) {
            lastError = e.getMessage();
            long silentNanos = nanoTime.getAsLong() - renewedAt;
            if (silentNanos > leaseSeconds * NANOS_PER_SECOND) {
                lose(silence() + " (last error: " + lastError + ")");
            } else {
                LOG.warn("cannot renew the lease of job {} ({}); trying again in {} s, {} s before it runs out",
                        hold.jobId(), lastError, interval().toSeconds(),
                        leaseSeconds - silentNanos / NANOS_PER_SECOND);
            }
        } finally {
            MDC.remove("request_id");
        }
    }

    private String silence() {
        return "no renewal succeeded within the lease of " + leaseSeconds + " s (none for "
                + Math.round((nanoTime.getAsLong() - renewedAt) / (double) NANOS_PER_SECOND)
                + " s), so the api-gateway has taken the job back or will";
    }

    private void lose(String reason) {
        synchronized (this) {
            if (stopped || lost) {
                return;
            }
            lost = true;
            cancelTimers();
        }
        onLost.accept(reason);
    }

    /** No more renewals (the job ended). */
    synchronized void stop() {
        stopped = true;
        cancelTimers();
    }

    private void cancelTimers() {
        if (next != null) {
            next.cancel(false);
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    synchronized boolean lost() {
        return lost;
    }

    /** Whether the lease was lost because Ferry's API ended the job (cancelled or fenced it). */
    boolean endedByApi() {
        return endedByApi;
    }
}
