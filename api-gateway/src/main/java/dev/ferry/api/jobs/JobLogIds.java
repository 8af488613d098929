package dev.ferry.api.jobs;

import dev.ferry.api.model.Job;
import org.slf4j.MDC;

/**
 * Puts a job's {@code request_id}, {@code job_id}, {@code backup_id} and {@code share_id} (those it has) into the
 * logging context while the gateway works on it, so every line logged meanwhile carries them; {@link #close} takes
 * them out and gives back the request id that was there before (the gateway's own work may run inside a request).
 */
final class JobLogIds implements AutoCloseable {
    private final String previousRequestId;

    private JobLogIds(String previousRequestId) {
        this.previousRequestId = previousRequestId;
    }

    static JobLogIds of(Job job) {
        JobLogIds ids = new JobLogIds(MDC.get("request_id"));
        put("request_id", job.requestId());
        put("job_id", job.id());
        put("backup_id", job.backupId());
        put("share_id", job.shareId());
        return ids;
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
        if (previousRequestId == null) {
            MDC.remove("request_id");
        } else {
            MDC.put("request_id", previousRequestId);
        }
    }
}
