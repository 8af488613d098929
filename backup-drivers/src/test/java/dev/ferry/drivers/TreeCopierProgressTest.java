package dev.ferry.drivers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static dev.ferry.drivers.TestTrees.write;
import static dev.ferry.drivers.TestTrees.writeRandom;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TreeCopierProgressTest {

    private static final int MIB = 1024 * 1024;

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

    /** Reports after every chunk of 64 KiB. */
    private static TreeCopier reportingEveryChunk(int threads) {
        return new TreeCopier(CopyOptions.of(List.of(), threads, false).withChunkBytes(64 * 1024)
                .withProgressInterval(Duration.ZERO));
    }

    @Test
    void progressNeverGoesBackwardsAndEndsAt100() throws Exception {
        for (int i = 0; i < 3; i++) {
            writeRandom(source, "d" + i + "/file.bin", MIB, i);
        }
        write(source, "empty-1", "");
        write(source, "empty-2", "");
        List<CopyProgress> seen = Collections.synchronizedList(new ArrayList<>());

        reportingEveryChunk(2).copy(source, target, seen::add, new Cancellation());

        assertTrue(seen.size() > 3, "progress within the copy: " + seen);
        assertEquals(0, seen.get(0).percent());
        assertEquals(new CopyProgress(3L * MIB, 3L * MIB, 5, 5), seen.get(seen.size() - 1));
        assertEquals(100, seen.get(seen.size() - 1).percent());
        for (int i = 1; i < seen.size(); i++) {
            CopyProgress before = seen.get(i - 1);
            CopyProgress after = seen.get(i);
            assertTrue(after.bytesDone() >= before.bytesDone() && after.filesDone() >= before.filesDone()
                    && after.percent() >= before.percent(), "went backwards: " + before + " then " + after);
        }
    }

    @Test
    void reportsTheStartAndTheEndWithTheDefaultRateLimit() throws Exception {
        writeRandom(source, "f.bin", 100_000, 1);
        List<CopyProgress> seen = Collections.synchronizedList(new ArrayList<>());

        new TreeCopier(CopyOptions.defaults()).copy(source, target, seen::add, new Cancellation());

        assertTrue(seen.size() >= 2, "start and end: " + seen);
        assertEquals(0, seen.get(0).bytesDone());
        assertEquals(100, seen.get(seen.size() - 1).percent());
    }

    @Test
    void anEmptySourceReports100() throws Exception {
        List<CopyProgress> seen = new ArrayList<>();

        CopyReport report = new TreeCopier(CopyOptions.defaults()).copy(source, target, seen::add, new Cancellation());

        assertEquals(new CopyReport(0, 0, 0, 0, 0), report);
        assertEquals(100, seen.get(seen.size() - 1).percent());
    }

    @Test
    void cancellingStopsTheCopyInsideAFileAndFails() throws Exception {
        for (int i = 0; i < 4; i++) {
            writeRandom(source, "f" + i + ".bin", 2 * MIB, i);
        }
        Cancellation cancellation = new Cancellation();
        ProgressListener cancelAfter256KiB = progress -> {
            if (progress.bytesDone() >= 256 * 1024) {
                cancellation.cancel();
            }
        };

        CopyFailedException failure = assertThrows(CopyFailedException.class,
                () -> reportingEveryChunk(1).copy(source, target, cancelAfter256KiB, cancellation));

        assertTrue(failure.cancelled());
        assertTrue(failure.targetTouched());
        assertTrue(failure.getMessage().contains("was cancelled"), failure.getMessage());
        assertTrue(bytesUnder(target) < 2L * MIB, "the copy went on after the cancel: " + bytesUnder(target));
    }

    @Test
    void aCancelledCopyClosesEveryDirectoryItOpened() throws Exception {
        for (int d = 0; d < 40; d++) {
            for (int f = 0; f < 5; f++) {
                writeRandom(source, "d" + d + "/f" + f + ".bin", 64 * 1024, d * 5 + f);
            }
        }
        Path warmUp = Files.createDirectory(tmp.resolve("warm-up"));
        reportingEveryChunk(4).copy(source, warmUp, ProgressListener.ignoring(), new Cancellation());
        long before = openFileDescriptors();
        Cancellation cancellation = new Cancellation();
        ProgressListener cancelEarly = progress -> {
            if (progress.bytesDone() >= 128 * 1024) {
                cancellation.cancel();
            }
        };

        CopyFailedException failure = assertThrows(CopyFailedException.class,
                () -> reportingEveryChunk(4).copy(source, target, cancelEarly, cancellation));

        assertTrue(failure.cancelled());
        // a leaked handle below a mount point keeps the data node from unmounting it
        assertEquals(before, openFileDescriptors(), "directory or file handles left open after the cancel");
    }

    private static long openFileDescriptors() throws java.io.IOException {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void cancellingFromAnotherThreadStopsARunningCopy() throws Exception {
        for (int i = 0; i < 4; i++) {
            writeRandom(source, "f" + i + ".bin", MIB, i);
        }
        Cancellation cancellation = new Cancellation();
        AtomicLong bytesSeen = new AtomicLong();
        CountDownLatch cancelled = new CountDownLatch(1);
        ProgressListener holdAfterFirstBytes = progress -> {
            bytesSeen.set(progress.bytesDone());
            if (progress.bytesDone() > 0) {
                try {
                    cancelled.await(30, TimeUnit.SECONDS); // keeps the copy mid-way until the test has cancelled
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Future<CopyReport> copy = background.submit(
                () -> reportingEveryChunk(1).copy(source, target, holdAfterFirstBytes, cancellation));

        await().atMost(Duration.ofSeconds(30)).until(() -> bytesSeen.get() > 0);
        cancellation.cancel();
        cancelled.countDown();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> copy.get(30, TimeUnit.SECONDS));
        CopyFailedException copyFailure = assertInstanceOf(CopyFailedException.class, failure.getCause());
        assertTrue(copyFailure.cancelled());
        assertTrue(bytesUnder(target) < 4L * MIB);
    }

    @Test
    void aCancelBeforeTheStartLeavesTheTargetUntouched() throws Exception {
        write(source, "f.txt", "f");
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();

        CopyFailedException failure = assertThrows(CopyFailedException.class,
                () -> new TreeCopier(CopyOptions.defaults()).copy(source, target, ProgressListener.ignoring(),
                        cancellation));

        assertTrue(failure.cancelled());
        assertFalse(failure.targetTouched());
        assertTrue(failure.getMessage().contains("nothing was written to the target"), failure.getMessage());
        assertEquals(List.of(), TestTrees.list(target));
    }

    @Test
    void aFailingListenerDoesNotFailTheCopy() throws Exception {
        write(source, "f.txt", "f");

        CopyReport report = new TreeCopier(CopyOptions.defaults()).copy(source, target, progress -> {
            throw new IllegalStateException("listener bug");
        }, new Cancellation());

        assertEquals(1, report.files());
    }

    private static long bytesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }
}
