package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.messages.CopyCounters;

/**
 * An attempt's copy counters in the admin job view: {@code files_copied}, {@code files_skipped}, {@code bytes_copied},
 * {@code bytes_skipped}, {@code files_damaged}, {@code metadata_dropped}; each null when the attempt's node reported
 * none (it still runs, or it ended without a report: lease expired, released, or a job kind that copies nothing).
 */
final class AttemptCounters {
    private AttemptCounters() {
    }

    static void into(ObjectNode view, CopyCounters counters) {
        if (counters == null) {
            for (String field : new String[] {"files_copied", "files_skipped", "bytes_copied", "bytes_skipped",
                    "files_damaged", "metadata_dropped"}) {
                view.putNull(field);
            }
            return;
        }
        view.setAll(counters.toJson());
    }
}
