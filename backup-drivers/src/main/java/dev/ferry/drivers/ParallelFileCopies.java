package dev.ferry.drivers;

import org.slf4j.MDC;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one copy's file tasks on a fixed set of threads. Submitting blocks while many tasks are queued, so a
 * tree of millions of files does not pile up in memory. The first task failure goes to the
 * {@link StopSignal}; a task that starts after a stop is still run, so that it can release what it holds, and
 * checks the stop itself. Worker threads carry the submitting
 * thread's MDC (e.g. {@code request_id}) in their log lines.
 */
final class ParallelFileCopies implements AutoCloseable {

    /** A task that may fail with an I/O error. */
    @FunctionalInterface
    interface FileTask {
        void run() throws IOException;
    }

    private static final int QUEUED_TASKS_PER_THREAD = 64;

    private final ExecutorService executor;
    private final Semaphore queueSlots;
    private final StopSignal stop;
    private final Map<String, String> mdc;

    ParallelFileCopies(int threads, StopSignal stop, String threadNamePrefix) {
        this.stop = stop;
        this.queueSlots = new Semaphore(threads * QUEUED_TASKS_PER_THREAD);
        this.mdc = MDC.getCopyOfContextMap();
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory threadFactory = runnable -> {
            Thread thread = new Thread(runnable, threadNamePrefix + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), threadFactory);
    }

    void submit(FileTask task) throws InterruptedException {
        queueSlots.acquire();
        try {
            executor.execute(() -> runTask(task));
        } catch (RuntimeException e) {
            queueSlots.release();
            throw e;
        }
    }

    /**
     * Runs {@code walk} on this thread (it submits the tasks), leaving in the {@link StopSignal} how it failed (a
     * stop is there already), then waits until every submitted task has finished.
     *
     * @return false when this thread was interrupted while waiting: the stop signal and the thread's interrupt
     *         flag say so, and closing this stops the tasks
     */
    boolean walkThenAwaitAll(FileTask walk) {
        try {
            walk.run();
        } catch (CopyStoppedException e) {
            // the stop signal holds why
        } catch (InterruptedIOException e) {
            stop.interrupt();
        } catch (IOException | RuntimeException e) {
            stop.fail(e);
        }
        try {
            awaitAll();
            return true;
        } catch (InterruptedException e) {
            stop.interrupt();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until every submitted task has finished (or skipped itself after a stop). */
    void awaitAll() throws InterruptedException {
        executor.shutdown();
        while (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
            // a large file can take a while; keep waiting
        }
    }

    /** Stops the threads if {@link #awaitAll()} did not complete (the caller was interrupted). */
    @Override
    public void close() {
        if (!executor.isTerminated()) {
            executor.shutdownNow();
            boolean interrupted = Thread.interrupted();
            try {
                executor.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void runTask(FileTask task) {
        if (mdc != null) {
            MDC.setContextMap(mdc);
        }
        try {
            task.run(); // a task checks the stop itself, so that it always releases what it holds
        } catch (CopyStoppedException e) {
            // another thread failed or the copy was cancelled: nothing to add
        } catch (Throwable e) {
            stop.fail(e);
        } finally {
            queueSlots.release();
            MDC.clear();
        }
    }
}
