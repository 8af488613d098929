package dev.ferry.drivers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.ferry.drivers.TestTrees.write;
import static dev.ferry.drivers.TestTrees.writeRandom;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TreeCopier under FERRY_COPY_MAX_BYTES_PER_SECOND: the same result, and a cancel still stops it. */
class TreeCopierRateLimitTest {

    private static final int KIB = 1024;

    @TempDir
    Path tmp;
    Path source;
    Path target;
    final ExecutorService background = Executors.newSingleThreadExecutor();

    @BeforeEach
    void folders() throws IOException {
        source = Files.createDirectory(tmp.resolve("source"));
        target = tmp.resolve("target");
    }

    @AfterEach
    void stopBackground() {
        background.shutdownNow();
    }

    @Test
    void aLimitedCopyCopiesEverything() throws Exception {
        for (int i = 0; i < 3; i++) {
            writeRandom(source, "data/f" + i + ".bin", 200 * KIB + i, i);
        }
        write(source, "small.txt", "small");
        TreeCopier limited = new TreeCopier(CopyOptions.of(List.of(), 3, true).withMaxBytesPerSecond(8L * KIB * KIB));

        CopyReport report = limited.copy(source, target, ProgressListener.ignoring(), new Cancellation());

        assertEquals(4, report.files());
        TreeAssert.assertSameTree(source, target);
    }

    @Test
    void aCancelStopsALimitedCopy() throws Exception {
        for (int i = 0; i < 4; i++) {
            writeRandom(source, "f" + i + ".bin", 1024 * KIB, i);
        }
        Cancellation cancellation = new Cancellation();
        AtomicLong bytesSeen = new AtomicLong();
        TreeCopier slow = new TreeCopier(CopyOptions.of(List.of(), 2, false).withMaxBytesPerSecond(256L * KIB)
                .withProgressInterval(Duration.ZERO));
        Future<CopyReport> copy = background.submit(
                () -> slow.copy(source, target, progress -> bytesSeen.set(progress.bytesDone()), cancellation));

        await().atMost(Duration.ofSeconds(30)).until(() -> bytesSeen.get() > 0);
        cancellation.cancel();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> copy.get(30, TimeUnit.SECONDS));
        CopyFailedException copyFailure = assertInstanceOf(CopyFailedException.class, failure.getCause());
        assertTrue(copyFailure.cancelled(), copyFailure.getMessage());
    }
}
