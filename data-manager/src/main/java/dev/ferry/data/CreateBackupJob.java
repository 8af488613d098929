package dev.ferry.data;

import dev.ferry.drivers.BackupDeleteRequest;
import dev.ferry.drivers.BackupRequest;
import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyReport;
import dev.ferry.drivers.DriverException;
import dev.ferry.drivers.ShareLocation;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.ShareInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed backup creation ({@code create_backup}): copies the share's root into the backup repository under the
 * backup's id.
 */
public final class CreateBackupJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(CreateBackupJob.class);
    private final JobContext job;
    private final Cancellation cancellation = new Cancellation();

    public CreateBackupJob(JobContext job) {
        this.job = job;
    }

    @Override
    public void run() {
        ShareInfo share = job.grant().source();
        String backupId = job.grant().backup().id();
        if (!job.driver().supportsBackup(share.protocol())) {
            job.failed(FailureDetail.SHARE_PROTOCOL_UNSUPPORTED, "Cannot back up share " + share.id()
                    + " of protocol " + share.protocol() + ": the backup driver does not support it", false);
            return;
        }
        LOG.info("backing up share {} into backup {}", share.id(), backupId);
        try {
            CopyReport report = job.driver().backup(
                    new BackupRequest(backupId, new ShareLocation(share.id(), share.protocol(), share.exportPath())),
                    job.copyProgressListener(), cancellation);
            LOG.info("backed up share {} into backup {}: {} files, {} bytes{}", share.id(), backupId, report.files(),
                    report.bytes(), report.manifestWritten() ? ", manifest written" : ", no manifest");
            job.succeeded(report.manifestWritten());
        } catch (DriverException e) {
            if (job.silenced()) {
                LOG.warn("backup {} of share {} stopped, the job is no longer this node's: {}", backupId, share.id(),
                        e.getMessage());
            } else {
                LOG.error("backup {} of share {} failed: {}", backupId, share.id(), e.getMessage(), e);
            }
            job.failed(e.detail(), e.getMessage(), e.targetTouched());
        } catch (RuntimeException e) {
            LOG.error("backup {} of share {} failed unexpectedly", backupId, share.id(), e);
            job.failed(FailureDetail.UNKNOWN_ERROR, e.toString(), false);
        }
    }

    /** A cancelled backup is never finished: its partial copy is removed from the repository. */
    @Override
    public void discardAfterEnd() {
        String backupId = job.grant().backup().id();
        try {
            job.driver().delete(new BackupDeleteRequest(backupId), new Cancellation());
            LOG.info("removed the partial copy of cancelled backup {} from the backup repository", backupId);
        } catch (DriverException | RuntimeException e) {
            LOG.error("could not remove the partial copy of cancelled backup {} from the backup repository ({}); "
                    + "deleting the backup removes it", backupId, e.getMessage());
        }
    }

    @Override
    public String activity() {
        return "backing up share " + job.sourceId() + " into backup " + job.backupId();
    }

    @Override
    public FailureDetail stallDetail() {
        return FailureDetail.COPY_FAILED;
    }

    @Override
    public boolean mayHaveWrittenTarget() {
        return false;
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }
}
