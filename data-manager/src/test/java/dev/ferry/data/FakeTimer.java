package dev.ferry.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** A {@link LeaseKeeper.Timer} that runs nothing by itself: the test runs what is due. */
final class FakeTimer implements LeaseKeeper.Timer {
    record Scheduled(Runnable task, Duration delay, CompletableFuture<Void> future) {
    }

    private final List<Scheduled> scheduled = new ArrayList<>();

    @Override
    public synchronized Future<?> schedule(Runnable task, Duration delay) {
        Scheduled entry = new Scheduled(task, delay, new CompletableFuture<>());
        scheduled.add(entry);
        return entry.future();
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

    private void run(Scheduled task) {
        task.future().complete(null);
        task.task().run();
    }
}
