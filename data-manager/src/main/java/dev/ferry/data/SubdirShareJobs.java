package dev.ferry.data;

import dev.ferry.drivers.DriverException;
import dev.ferry.drivers.ShareLocation;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.ShareInfo;
import org.slf4j.Logger;

/** What the jobs of the {@code subdir} share backend share: where the share is, and how a failure is reported. */
final class SubdirShareJobs {

    private SubdirShareJobs() {
    }

    /**
     * The grant's target share, or null after reporting why the job cannot run here (no share folders on this
     * node, or a grant without a target share); nothing is touched then.
     */
    static ShareLocation targetOrFail(JobContext job, String what, Logger log) {
        ShareInfo target = job.grant().target();
        String reason = null;
        if (target == null || target.exportPath() == null || target.protocol() == null) {
            reason = what + " failed: the job's grant names no target share with an export path and protocol";
        } else if (job.shares() == null) {
            reason = what + " failed: data node " + job.node() + " has no subdir share backend configured";
        }
        if (reason != null) {
            log.error("{}; nothing was changed", reason);
            job.failed(FailureDetail.UNKNOWN_ERROR, reason, false);
            return null;
        }
        return new ShareLocation(target.id(), target.protocol(), target.exportPath());
    }

    /** Reports a failed folder operation: quietly when the job is no longer this node's. Nothing was written. */
    static void failed(JobContext job, String what, DriverException e, Logger log) {
        if (job.silenced()) {
            log.warn("{} stopped, the job is no longer this node's: {}", what, e.getMessage());
        } else {
            log.error("{} failed: {}", what, e.getMessage(), e);
        }
        job.failed(e.detail(), e.getMessage(), false);
    }

    /** Reports a bug: an unexpected exception. */
    static void failedUnexpectedly(JobContext job, String what, RuntimeException e, Logger log) {
        log.error("{} failed unexpectedly", what, e);
        job.failed(FailureDetail.UNKNOWN_ERROR, e.toString(), false);
    }
}
