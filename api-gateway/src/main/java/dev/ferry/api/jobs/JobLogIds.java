package dev.ferry.api.jobs;

import dev.ferry.api.model.Job;
import org.slf4j.MDC;

/**
 * Puts a job's {@code job_id}, {@code backup_id} and {@code share_id} (those it has) into the logging context
 * while the gateway works on it, so every line logged meanwhile carries them; {@link #close} takes them out.
 */
final class JobLogIds implements AutoCloseable {
    private JobLogIds() {
    }

    static JobLogIds of(Job job) {
        put("job_id", job.id());
        put("backup_id", job.backupId());
        put("share_id", job.shareId());
        return new JobLogIds();
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        MDC.remove("job_id");
        MDC.remove("backup_id");
        MDC.remove("share_id");
    }
}
