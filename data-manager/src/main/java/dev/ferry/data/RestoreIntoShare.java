package dev.ferry.data;

import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyReport;
import dev.ferry.drivers.DriverException;
import dev.ferry.drivers.RestoreRequest;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.ShareInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step a {@link RestoreBackupJob} and a {@link CreateShareJob} from a backup share: restoring the grant's
 * backup into the grant's target share. First {@link #permitted()} (restore-to-target capability, protocol pair;
 * a refusal is reported, and no data is touched), then {@link #run()} (copy through the driver with progress, and
 * report the outcome).
 */
final class RestoreIntoShare {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreIntoShare.class);
    private final JobContext job;
    private final Cancellation cancellation;

    RestoreIntoShare(JobContext job, Cancellation cancellation) {
        this.job = job;
        this.cancellation = cancellation;
    }

    /** A targeted restore is one into a share other than the backup's own. */
    private boolean targeted() {
        return !job.grant().target().id().equals(job.grant().backup().shareId());
    }

    private String backupProtocol() {
        ShareInfo source = job.grant().source();
        return source == null ? null : source.protocol();
    }

    /** Whether the driver may do this restore; when not, reports the failure (target untouched) and says false. */
    boolean permitted() {
        ShareInfo target = job.grant().target();
        String backupId = job.grant().backup().id();
        if (targeted() && !job.driver().supportRestoreToTarget()) {
            refuse(FailureDetail.TARGETED_RESTORE_UNSUPPORTED, "Cannot restore backup " + backupId
                    + " to target share " + target.id()
                    + " as backup driver does not provide support for targeted restores");
            return false;
        }
        String backupProtocol = backupProtocol();
        if (!job.driver().supportsRestore(backupProtocol, target.protocol())) {
            refuse(FailureDetail.PROTOCOL_PAIR_UNSUPPORTED, "Cannot restore backup " + backupId + " of a "
                    + backupProtocol + " share into share " + target.id() + " of protocol " + target.protocol()
                    + ": the backup driver does not support that protocol pair");
            return false;
        }
        return true;
    }

    /** Copies the backup into the target through the driver and reports success or failure. */
    void run() {
        ShareInfo target = job.grant().target();
        String backupId = job.grant().backup().id();
        LOG.info("restoring backup {} into share {} ({}, {} -> {})", backupId, target.id(),
                targeted() ? "out of place" : "in place", backupProtocol(), target.protocol());
        RestoreRequest request;
        try {
            request = GrantedRestore.request(job.grant());
        } catch (IllegalArgumentException e) {
            refuse(FailureDetail.UNKNOWN_ERROR, "Cannot restore backup " + backupId + ": " + e.getMessage());
            return;
        }
        if (!job.beginWriting()) {
            LOG.info("restore of backup {} into share {} not started: the job is no longer this node's", backupId,
                    target.id());
            return;
        }
        try {
            CopyReport report = job.driver().restore(request, job.copyProgressListener(), cancellation);
            LOG.info("restored backup {} into share {} ({}, attempt {}): {} files, {} directories, {} symlinks, {} "
                    + "bytes, {} skipped; {} files ({} bytes) already in place; {} damaged, {} attributes dropped",
                    backupId, target.id(), request.selection().whole() ? "whole" : request.selection().paths(),
                    job.grant().attempt(), report.files(), report.directories(), report.symlinks(), report.bytes(),
                    report.skipped(), report.filesSkipped(), report.bytesSkipped(), report.damagedFiles(),
                    report.metadataDropped());
            reportOutcome(new RestoreOutcome(report));
        } catch (DriverException e) {
            if (job.silenced()) {
                LOG.warn("restore of backup {} into share {} stopped, the job is no longer this node's: {}", backupId,
                        target.id(), e.getMessage());
            } else {
                LOG.error("restore of backup {} into share {} failed: {}", backupId, target.id(), e.getMessage(), e);
            }
            job.failed(e.detail(), e.getMessage(), e.targetTouched());
        } catch (RuntimeException e) {
            LOG.error("restore of backup {} into share {} failed unexpectedly", backupId, target.id(), e);
            job.failed(FailureDetail.UNKNOWN_ERROR, e.toString(), true);
        }
    }

    /**
     * Damaged or missing repository files fail the job (the sound files were restored, so the target was written);
     * attributes the target refused are a notice on a success. Either way the attempt's counters go along.
     */
    private void reportOutcome(RestoreOutcome outcome) {
        if (outcome.damaged()) {
            LOG.error("restore of backup {} into share {} left out damaged files: {}", job.grant().backup().id(),
                    job.grant().target().id(), outcome.damagedReason());
            job.failed(FailureDetail.DAMAGED_FILES, outcome.damagedReason(), true, outcome.counters());
        } else if (outcome.metadataDropped()) {
            LOG.warn("restore of backup {} into share {}: {}", job.grant().backup().id(), job.grant().target().id(),
                    outcome.droppedReason());
            job.succeeded(outcome.counters(), FailureDetail.METADATA_DROPPED, outcome.droppedReason());
        } else {
            job.succeeded(outcome.counters(), null, null);
        }
    }

    private void refuse(FailureDetail detail, String reason) {
        LOG.warn("{}; nothing was written to share {}", reason, job.grant().target().id());
        job.failed(detail, reason, false);
    }
}
