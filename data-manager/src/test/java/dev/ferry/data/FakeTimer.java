package dev.ferry.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A {@link LeaseKeeper.Timer} that runs nothing by itself: the test runs what is due, either picking tasks
 * ({@link #runNext}, {@link #runLast}) or letting time pass on the timer's own clock ({@link #advance}, read with
 * {@link #nanoTime}), which runs every task that falls due meanwhile, in order.
 */
final class FakeTimer implements LeaseKeeper.Timer {
    record Scheduled(Runnable task, Duration delay, long dueAt, CompletableFuture<Void> future) {
    }

    private final List<Scheduled> scheduled = new ArrayList<>();
    private long now = 1_000_000_000_000L;

    @Override
    public synchronized Future<?> schedule(Runnable task, Duration delay) {
        Scheduled entry = new Scheduled(task, delay, now + delay.toNanos(), new CompletableFuture<>());
        scheduled.add(entry);
        return entry.future();
    }

    /** The timer's clock, in nanoseconds: moves only with {@link #advance}. */
    synchronized long nanoTime() {
        return now;
    }

    synchronized Scheduled last() {
        return scheduled.isEmpty() ? null : scheduled.get(scheduled.size() - 1);
    }

    /** Tasks scheduled and neither run nor cancelled. */
    synchronized List<Scheduled> pending() {
        return scheduled.stream().filter(s -> !s.future().isDone()).toList();
    }

    /** Runs the pending task due first (the shortest delay; the oldest of equals), as if its delay had passed. */
    void runNext() {
        run(pending().stream().sorted(Comparator.comparing(Scheduled::delay)).findFirst().orElseThrow());
    }

    /** Runs the pending task due last (the longest delay), as if that much time had passed without the others. */
    void runLast() {
        run(pending().stream().max(Comparator.comparing(Scheduled::delay)).orElseThrow());
    }

    /**
     * Lets {@code time} pass on the timer's clock: runs, on the calling thread, each task that falls due by then
     * (also those scheduled meanwhile), earliest first, with the clock at its due time.
     */
    void advance(Duration time) {
        long until;
        synchronized (this) {
            until = now + time.toNanos();
        }
        for (Optional<Scheduled> due = dueBy(until); due.isPresent(); due = dueBy(until)) {
            synchronized (this) {
                now = Math.max(now, due.get().dueAt());
            }
            run(due.get());
        }
        synchronized (this) {
            now = until;
        }
    }

    private synchronized Optional<Scheduled> dueBy(long until) {
        return pending().stream().filter(s -> s.dueAt() <= until).min(Comparator.comparingLong(Scheduled::dueAt));
    }

    private void run(Scheduled task) {
        task.future().complete(null);
        task.task().run();
    }
}
