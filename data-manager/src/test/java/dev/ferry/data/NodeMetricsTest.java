package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.drivers.CopyProgress;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.messages.JobKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A data node's meters: copied bytes and files from each copy's progress, jobs ended, running jobs and slots. */
class NodeMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NodeMetrics metrics = new NodeMetrics(registry);

    @Test
    void eachCopysProgressAddsWhatItGotThroughAndPassesEveryReportOn() {
        List<CopyProgress> passed = new ArrayList<>();
        ProgressListener first = metrics.counting(passed::add);
        ProgressListener second = metrics.counting(progress -> { });
        first.onProgress(new CopyProgress(0, 1000, 0, 3));
        first.onProgress(new CopyProgress(400, 1000, 1, 3));
        second.onProgress(new CopyProgress(50, 50, 1, 1));
        first.onProgress(new CopyProgress(400, 1000, 1, 3));
        first.onProgress(new CopyProgress(1000, 1000, 3, 3));

        assertEquals(1050.0, registry.get("ferry.copied.bytes").counter().count());
        assertEquals(4.0, registry.get("ferry.copied.files").counter().count());
        assertEquals(4, passed.size(), "the job's own listener sees every report");
    }

    @Test
    void jobsEndedRunningJobsAndSlots() {
        AtomicInteger running = new AtomicInteger(1);
        metrics.watchSlots(running::get, 3);
        metrics.jobEnded(JobKind.RESTORE, "succeeded");
        metrics.jobEnded(JobKind.RESTORE, "succeeded");
        metrics.jobEnded(JobKind.CREATE_BACKUP, "failed");

        assertEquals(2.0, registry.get("ferry.node.jobs.ended").tag("kind", "restore_backup")
                .tag("outcome", "succeeded").counter().count());
        assertEquals(1.0, registry.get("ferry.node.jobs.ended").tag("kind", "create_backup")
                .tag("outcome", "failed").counter().count());
        assertEquals(1.0, registry.get("ferry.node.jobs.running").gauge().value());
        running.set(0);
        assertEquals(0.0, registry.get("ferry.node.jobs.running").gauge().value());
        assertEquals(3.0, registry.get("ferry.node.job.slots").gauge().value());
    }
}
