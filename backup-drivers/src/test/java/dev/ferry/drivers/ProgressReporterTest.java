package dev.ferry.drivers;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressReporterTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<CopyProgress> seen = new ArrayList<>();
    private final ProgressReporter reporter = new ProgressReporter(seen::add, new TreeSize(1000, 4),
            Duration.ofMillis(200), clock::get);

    @Test
    void reportsAtMostOncePerInterval() {
        reporter.start();
        reporter.addBytes(100);
        reporter.addBytes(100);
        assertEquals(List.of(new CopyProgress(0, 1000, 0, 4)), seen, "no report before the interval has passed");

        clock.addAndGet(Duration.ofMillis(200).toNanos());
        reporter.addBytes(100);
        reporter.fileDone();

        assertEquals(List.of(new CopyProgress(0, 1000, 0, 4), new CopyProgress(300, 1000, 0, 4)), seen);
    }

    @Test
    void finishesAt100EvenWhenTheSourceShrank() {
        reporter.start();
        reporter.addBytes(900);
        reporter.fileDone();

        reporter.finish();

        CopyProgress last = seen.get(seen.size() - 1);
        assertEquals(new CopyProgress(1000, 1000, 4, 4), last);
        assertEquals(100, last.percent());
    }

    @Test
    void neverReportsBeyondTheTotalAsLessThanDone() {
        reporter.start();
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        reporter.addBytes(1500); // a file grew after the tree was sized

        CopyProgress grown = seen.get(seen.size() - 1);
        assertEquals(new CopyProgress(1500, 1500, 0, 4), grown);
    }
}
