package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;

/**
 * Watches a tree after a job was ended through the API (a cancel's or a reset's 202): measures when the data node
 * logged that the job stopped, then checks that the tree 2 seconds after the answer is the tree a few seconds later
 * (nothing was written after the 2 second bound).
 */
final class StopWatch {
    private static final Duration BOUND = Duration.ofSeconds(2);

    private StopWatch() {
    }

    /** How long after {@code answeredAt} (System.nanoTime) the node logged that {@code jobId} stopped. */
    static long millisUntilStopped(FerryProcess node, String jobId, long answeredAt) {
        String line = "job " + jobId + " stopped";
        Awaitility.await(node + " logs that job " + jobId + " stopped").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10)).until(() -> node.log().contains(line));
        return (System.nanoTime() - answeredAt) / 1_000_000;
    }

    /** The tree at 2 s after the answer equals the tree 3 s later; returns it. */
    static Map<String, String> assertNothingWrittenAfterTheBound(Path tree, long answeredAt) throws Exception {
        waitUntil(answeredAt + BOUND.toNanos());
        Map<String, String> atBound = snapshot(tree);
        waitUntil(System.nanoTime() + Duration.ofSeconds(3).toNanos());
        assertEquals(atBound, snapshot(tree), "nothing is written into " + tree + " later than 2 s after the 202");
        return atBound;
    }

    private static Map<String, String> snapshot(Path tree) throws Exception {
        return Files.exists(tree) ? TreeSnapshot.of(tree) : new TreeMap<>();
    }

    private static void waitUntil(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Awaitility.await().pollDelay(Duration.ofNanos(left)).atMost(Duration.ofNanos(left).plusSeconds(5))
                    .until(() -> true);
        }
    }
}
