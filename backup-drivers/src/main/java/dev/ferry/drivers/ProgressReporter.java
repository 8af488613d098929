package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counts a copy's progress from its threads and passes it to a {@link ProgressListener}: at the start, at
 * most once per interval in between, and at the end with 100%. Reported values never go backwards, and the
 * listener is never called concurrently. A listener that throws is logged and does not fail the copy.
 */
final class ProgressReporter {

    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

    private final ProgressListener listener;
    private final long bytesTotal;
    private final long filesTotal;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong filesDone = new AtomicLong();
    private final Object reportLock = new Object();
    private volatile long lastReportNanos;
    private CopyProgress lastReported;   // guarded by reportLock
    private boolean listenerFailed;      // guarded by reportLock

    ProgressReporter(ProgressListener listener, TreeSize size, Duration interval, LongSupplier nanoClock) {
        this.listener = listener;
        this.bytesTotal = size.bytes();
        this.filesTotal = size.files();
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    void start() {
        synchronized (reportLock) {
            emit(0, 0);
        }
    }

    void addBytes(long bytes) {
        bytesDone.addAndGet(bytes);
        maybeReport();
    }

    void fileDone() {
        filesDone.incrementAndGet();
        maybeReport();
    }

    long bytesDone() {
        return bytesDone.get();
    }

    /** Reports 100%: the copy is complete, whatever the sizes counted before it started. */
    void finish() {
        synchronized (reportLock) {
            long bytes = Math.max(bytesDone.get(), bytesTotal);
            long files = Math.max(filesDone.get(), filesTotal);
            if (lastReported != null) {
                bytes = Math.max(bytes, lastReported.bytesTotal());
                files = Math.max(files, lastReported.filesTotal());
            }
            deliver(new CopyProgress(bytes, bytes, files, files));
        }
    }

    private void maybeReport() {
        if (nanoClock.getAsLong() - lastReportNanos < intervalNanos) {
            return;
        }
        synchronized (reportLock) {
            if (nanoClock.getAsLong() - lastReportNanos >= intervalNanos) {
                emit(bytesDone.get(), filesDone.get());
            }
        }
    }

    private void emit(long bytes, long files) {
        if (lastReported != null) {
            bytes = Math.max(bytes, lastReported.bytesDone());
            files = Math.max(files, lastReported.filesDone());
        }
        long totalBytes = Math.max(bytesTotal, bytes);
        long totalFiles = Math.max(filesTotal, files);
        if (lastReported != null) {
            totalBytes = Math.max(totalBytes, lastReported.bytesTotal());
            totalFiles = Math.max(totalFiles, lastReported.filesTotal());
        }
        deliver(new CopyProgress(bytes, totalBytes, files, totalFiles));
    }

    private void deliver(CopyProgress progress) {
        lastReportNanos = nanoClock.getAsLong();
        lastReported = progress;
        try {
            listener.onProgress(progress);
        } catch (RuntimeException e) {
            if (!listenerFailed) {
                listenerFailed = true;
                log.warn("The progress listener failed ({}); the copy goes on, but its progress may not be shown",
                        e.toString(), e);
            }
        }
    }
}
