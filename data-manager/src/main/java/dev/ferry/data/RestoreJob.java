package dev.ferry.data;

import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyReport;
import dev.ferry.drivers.DriverException;
import dev.ferry.drivers.RestoreRequest;
import dev.ferry.drivers.ShareLocation;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.ShareInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed restore: decides whether the driver may do it (restore-to-target capability, protocol
 * pair), runs it through the driver, and reports the outcome. No data is touched when a check fails.
 */
public final class RestoreJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreJob.class);
    private final JobContext job;
    private final Cancellation cancellation = new Cancellation();

    public RestoreJob(JobContext job) {
        this.job = job;
    }

    @Override
    public void run() {
        ShareInfo target = job.grant().target();
        ShareInfo source = job.grant().source();
        String backupId = job.grant().backup().id();
        boolean targeted = !target.id().equals(job.grant().backup().shareId());
        if (targeted && !job.driver().supportRestoreToTarget()) {
            refuse(FailureDetail.TARGETED_RESTORE_UNSUPPORTED, "Cannot restore backup " + backupId
                    + " to target share " + target.id()
                    + " as backup driver does not provide support for targeted restores");
            return;
        }
        String backupProtocol = source == null ? null : source.protocol();
        if (!job.driver().supportsRestore(backupProtocol, target.protocol())) {
            refuse(FailureDetail.PROTOCOL_PAIR_UNSUPPORTED, "Cannot restore backup " + backupId + " of a "
                    + backupProtocol + " share into share " + target.id() + " of protocol " + target.protocol()
                    + ": the backup driver does not support that protocol pair");
            return;
        }
        LOG.info("restoring backup {} into share {} ({}, {} -> {})", backupId, target.id(),
                targeted ? "out of place" : "in place", backupProtocol, target.protocol());
        try {
            CopyReport report = job.driver().restore(
                    new RestoreRequest(backupId, new ShareLocation(target.id(), target.protocol(), target.exportPath())),
                    job.progressListener(), cancellation);
            LOG.info("restored backup {} into share {}: {} files, {} directories, {} symlinks, {} bytes, {} skipped",
                    backupId, target.id(), report.files(), report.directories(), report.symlinks(), report.bytes(),
                    report.skipped());
            job.succeeded();
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

    private void refuse(FailureDetail detail, String reason) {
        LOG.warn("{}; nothing was written to share {}", reason, job.grant().target().id());
        job.failed(detail, reason, false);
    }

    @Override
    public void cancel() {
        cancellation.cancel();
    }
}
