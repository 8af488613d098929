package dev.ferry.data;

import dev.ferry.drivers.CopyProgress;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.messages.JobKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.function.IntSupplier;

/**
 * A data node's meters: {@code ferry_copied_bytes_total} and {@code ferry_copied_files_total} (content bytes and
 * files its restores and backups got through, counted from their progress as they go), {@code
 * ferry_node_jobs_ended_total{kind,outcome}} (jobs whose outcome this node reported), and the gauges {@code
 * ferry_node_jobs_running} and {@code ferry_node_job_slots}.
 */
public final class NodeMetrics {
    private final MeterRegistry registry;
    private final Counter copiedBytes;
    private final Counter copiedFiles;

    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.copiedBytes = Counter.builder("ferry.copied.bytes").baseUnit("bytes")
                .description("File content bytes this data node copied into targets and the backup repository")
                .register(registry);
        this.copiedFiles = Counter.builder("ferry.copied.files")
                .description("Files this data node copied into targets and the backup repository").register(registry);
    }

    /** Records into nothing: for tests and callers that keep no metrics. */
    public static NodeMetrics none() {
        return new NodeMetrics(new CompositeMeterRegistry());
    }

    /** Publishes the node's running jobs and its job slots (read at each scrape). */
    void watchSlots(IntSupplier running, int slots) {
        Gauge.builder("ferry.node.jobs.running", running, s -> s.getAsInt()).strongReference(true)
                .description("Jobs running on this data node").register(registry);
        Gauge.builder("ferry.node.job.slots", () -> slots).strongReference(true)
                .description("Job slots of this data node (FERRY_DATA_CONCURRENCY, and one for verifications)").register(registry);
    }

    void jobEnded(JobKind kind, String outcome) {
        Counter.builder("ferry.node.jobs.ended").description("Jobs this data node finished, by kind and outcome")
                .tag("kind", kind.wireName()).tag("outcome", outcome).register(registry).increment();
    }

    /** Passes progress on to {@code listener}, counting what each report adds to the copy's bytes and files. */
    ProgressListener counting(ProgressListener listener) {
        return new ProgressListener() {
            private long bytes;
            private long files;

            @Override
            public synchronized void onProgress(CopyProgress progress) {
                if (progress.bytesDone() > bytes) {
                    copiedBytes.increment(progress.bytesDone() - bytes);
                    bytes = progress.bytesDone();
                }
                if (progress.filesDone() > files) {
                    copiedFiles.increment(progress.filesDone() - files);
                    files = progress.filesDone();
                }
                listener.onProgress(progress);
            }
        };
    }
}
