package dev.ferry.data;

import dev.ferry.drivers.Cancellation;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.MDC;

/**
 * Watches one running job for progress: every tenth of the stall time (1 s to 30 s) it looks whether the job's
 * {@link Cancellation} recorded progress since the last look (its {@code lastProgressNanos} changed, whatever
 * clock that is on). When none was seen for the stall time on this watchdog's own clock, it calls back once,
 * saying for how long and where the job was, and stops. A job that keeps progressing, however slowly, is never
 * called stalled; a job is called stalled at most one look after the stall time.
 */
final class StallWatchdog {
    private static final Duration SHORTEST_LOOK = Duration.ofSeconds(1);
    private static final Duration LONGEST_LOOK = Duration.ofSeconds(30);

    private final Cancellation progress;
    private final Duration stallAfter;
    private final LongSupplier nanoTime;
    private final String requestId;
    private final Consumer<Stall> onStall;
    private long seenProgress;
    private long seenAt;
    private boolean stopped;
    private LeaseKeeper.Timer timer;
    private Future<?> next;

    StallWatchdog(Cancellation progress, Duration stallAfter, LongSupplier nanoTime, String requestId,
                  Consumer<Stall> onStall) {
        this.progress = progress;
        this.stallAfter = stallAfter;
        this.nanoTime = nanoTime;
        this.requestId = requestId;
        this.onStall = onStall;
        this.seenProgress = progress.lastProgressNanos();
        this.seenAt = nanoTime.getAsLong();
    }

    /** How often the watchdog looks: a tenth of the stall time, from 1 s to 30 s. */
    Duration lookInterval() {
        Duration tenth = stallAfter.dividedBy(10);
        if (tenth.compareTo(SHORTEST_LOOK) < 0) {
            return SHORTEST_LOOK;
        }
        return tenth.compareTo(LONGEST_LOOK) > 0 ? LONGEST_LOOK : tenth;
    }

    synchronized void start(LeaseKeeper.Timer timer) {
        this.timer = timer;
        scheduleNext();
    }

    private synchronized void scheduleNext() {
        if (!stopped && timer != null) {
            next = timer.schedule(this::look, lookInterval());
        }
    }

    /** One look; calls back when the job has been quiet for the stall time. */
    void look() {
        Stall stall;
        synchronized (this) {
            if (stopped) {
                return;
            }
            long now = nanoTime.getAsLong();
            long last = progress.lastProgressNanos();
            if (last != seenProgress) {
                seenProgress = last;
                seenAt = now;
            }
            if (now - seenAt < stallAfter.toNanos()) {
                scheduleNext();
                return;
            }
            stopped = true;
            stall = new Stall(Duration.ofNanos(now - seenAt), progress.lastProgressAt());
        }
        MDC.put("request_id", requestId);
        try {
            onStall.accept(stall);
        } finally {
            MDC.remove("request_id");
        }
    }

    /** No more looks (the job ended, or was cancelled for another reason). */
    synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
    }
}
