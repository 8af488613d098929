package dev.ferry.drivers;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The copy rate limit on a virtual clock: the sleeper advances the clock instead of waiting. */
class ByteRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private long now = 5 * SECOND;
    private final StopSignal running = new StopSignal(new Cancellation());

    private ByteRateLimiter limiter(long bytesPerSecond) {
        return new ByteRateLimiter(bytesPerSecond, () -> now, nanos -> now += nanos);
    }

    /** Bytes granted in each whole virtual second since the start. */
    private TreeMap<Long, Long> grantsPerSecond(ByteRateLimiter limiter, List<Integer> chunks, long seconds)
            throws Exception {
        long start = now;
        TreeMap<Long, Long> perSecond = new TreeMap<>();
        for (int i = 0; now - start < seconds * SECOND; i = (i + 1) % chunks.size()) {
            limiter.acquire(chunks.get(i), running);
            perSecond.merge((now - start) / SECOND, (long) chunks.get(i), Long::sum);
        }
        return perSecond;
    }

    @Test
    void grantsTheRateInEveryVirtualSecond() throws Exception {
        ByteRateLimiter limiter = limiter(1_000_000);
        int chunk = limiter.chunkBytes(CopyOptions.DEFAULT_CHUNK_BYTES);
        assertEquals(100_000, chunk, "chunks are a tenth of a second's budget");

        TreeMap<Long, Long> perSecond = grantsPerSecond(limiter, List.of(chunk), 10);

        for (long second = 1; second < 10; second++) {
            assertEquals(1_000_000, perSecond.get(second), chunk, "second " + second + ": " + perSecond);
        }
        assertTrue(perSecond.get(0L) <= 1_000_000 + 100_000 + chunk,
                "the first second adds at most the bucket (a tenth of a second): " + perSecond);
    }

    @Test
    void callersShareOneBudget() throws Exception {
        ByteRateLimiter limiter = limiter(64 * 1024);

        // two threads' worth of chunks of different sizes, interleaved
        TreeMap<Long, Long> perSecond = grantsPerSecond(limiter, List.of(6_553, 1_000, 4_096), 8);

        for (long second = 1; second < 8; second++) {
            assertEquals(64 * 1024, perSecond.get(second), 6_553, "second " + second + ": " + perSecond);
        }
    }

    @Test
    void aStopEndsTheWaitWithinOneSlice() {
        Cancellation cancellation = new Cancellation();
        ByteRateLimiter limiter = new ByteRateLimiter(1_000, () -> now, nanos -> {
            now += nanos;
            cancellation.cancel();
        });
        long before = now;

        assertThrows(CopyStoppedException.class,
                () -> limiter.acquire(1_000_000, new StopSignal(cancellation)), "a 1000 s wait is cut short");
        assertTrue(now - before <= ByteRateLimiter.SLICE_MILLIS * 1_000_000L, "slept " + (now - before) + " ns");
    }

    @Test
    void zeroMeansUnlimited() throws Exception {
        ByteRateLimiter unlimited = ByteRateLimiter.perSecond(0);

        assertFalse(unlimited.limited());
        assertEquals(CopyOptions.DEFAULT_CHUNK_BYTES, unlimited.chunkBytes(CopyOptions.DEFAULT_CHUNK_BYTES));
        unlimited.acquire(Long.MAX_VALUE / 2, running);
    }

    @Test
    void tinyRatesStillMoveOneByteAtATime() {
        assertEquals(1, limiter(5).chunkBytes(CopyOptions.DEFAULT_CHUNK_BYTES));
        assertThrows(IllegalArgumentException.class, () -> limiter(-1));
        assertThrows(IllegalArgumentException.class, () -> CopyOptions.defaults().withMaxBytesPerSecond(-1));
    }
}
