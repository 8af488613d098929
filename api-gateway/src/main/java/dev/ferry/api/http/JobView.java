package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobAttempt;
import dev.ferry.api.service.JobQueries;
import dev.ferry.messages.Json;
import dev.ferry.messages.OsloTime;

/** A job as the admin API shows it, with its attempts. Times are naive UTC, as everywhere in the API. */
public final class JobView {
    private JobView() {
    }

    public static ObjectNode of(JobQueries.JobRecord record) {
        Job job = record.job();
        ObjectNode view = Json.object();
        view.put("id", job.id());
        view.put("kind", job.kind().wireName());
        view.put("status", job.status().wire());
        view.put("epoch", job.epoch());
        view.put("node", job.node());
        view.put("backup_id", job.backupId());
        view.put("share_id", job.shareId());
        view.put("request_id", job.requestId());
        view.put("detail_id", job.detailId());
        view.put("reason", job.reason());
        view.put("lease_expires_at", OsloTime.format(job.leaseExpiresAt()));
        view.put("created_at", OsloTime.format(job.createdAt()));
        view.put("updated_at", OsloTime.format(job.updatedAt()));
        view.set("restore_selection", RestoreSelectionView.of(job.restoreSelection()));
        ArrayNode attempts = view.putArray("attempts");
        for (JobAttempt attempt : record.attempts()) {
            ObjectNode item = attempts.addObject()
                    .put("epoch", attempt.epoch())
                    .put("node", attempt.node())
                    .put("started_at", OsloTime.format(attempt.startedAt()))
                    .put("ended_at", OsloTime.format(attempt.endedAt()))
                    .put("outcome", attempt.outcome());
            AttemptCounters.into(item, attempt.counters());
        }
        return view;
    }
}
