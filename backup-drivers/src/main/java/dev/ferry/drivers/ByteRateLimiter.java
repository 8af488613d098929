package dev.ferry.drivers;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Caps the bytes one copy writes per second, across all its threads: a token bucket that fills at the rate
 * and holds at most a tenth of a second's budget. A thread asks for a chunk before writing it; when the
 * bucket is short, the chunk is granted on credit and the thread sleeps until the debt is paid, so the rate
 * holds however many threads ask. The sleep is cut into slices of at most {@value #SLICE_MILLIS} ms with a
 * stop check between them, so a cancelled copy stops promptly.
 */
final class ByteRateLimiter {

    /** Waits; the production sleeper is {@link TimeUnit#sleep}, tests advance a fake clock. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    static final long SLICE_MILLIS = 100;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final ByteRateLimiter UNLIMITED = new ByteRateLimiter(0, System::nanoTime,
            TimeUnit.NANOSECONDS::sleep);

    private final long bytesPerSecond;
    private final double capacity;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private double tokens;
    private long filledAt;

    ByteRateLimiter(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond cannot be negative, was " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.capacity = Math.max(1, bytesPerSecond / 10);
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.tokens = capacity;
        this.filledAt = nanoTime.getAsLong();
    }

    /** A limiter on the real clock; 0 means unlimited. */
    static ByteRateLimiter perSecond(long bytesPerSecond) {
        return bytesPerSecond == 0 ? UNLIMITED
                : new ByteRateLimiter(bytesPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    boolean limited() {
        return bytesPerSecond > 0;
    }

    /** The chunk to write at a time: the configured one, but no more than a tenth of a second's budget. */
    int chunkBytes(int configured) {
        return limited() ? (int) Math.max(1, Math.min(configured, bytesPerSecond / 10)) : configured;
    }

    /**
     * Takes {@code bytes} from the bucket, sleeping as long as the rate requires.
     *
     * @throws CopyStoppedException  when the copy is told to stop while waiting
     * @throws InterruptedIOException when the thread is interrupted while waiting
     */
    void acquire(long bytes, StopSignal stop) throws CopyStoppedException, InterruptedIOException {
        if (!limited()) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            tokens = Math.min(capacity, tokens + (now - filledAt) * (double) bytesPerSecond / NANOS_PER_SECOND);
            filledAt = now;
            tokens -= bytes;
            waitNanos = tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond);
        }
        long until = nanoTime.getAsLong() + waitNanos;
        for (long left = waitNanos; left > 0; left = until - nanoTime.getAsLong()) {
            stop.check();
            try {
                sleeper.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while keeping the copy under " + bytesPerSecond
                        + " bytes per second");
            }
        }
    }
}
