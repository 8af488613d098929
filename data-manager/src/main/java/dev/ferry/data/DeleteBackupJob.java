package dev.ferry.data;

import dev.ferry.drivers.BackupDeleteRequest;
import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.DriverException;
import dev.ferry.messages.FailureDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed backup deletion ({@code delete_backup}): removes the backup's folder from the backup repository
 * through the driver. A backup whose folder is already gone is deleted successfully, so a re-dispatched delete is
 * harmless.
 */
public final class DeleteBackupJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteBackupJob.class);
    private final JobContext job;
    private final Cancellation cancellation = new Cancellation();

    public DeleteBackupJob(JobContext job) {
        this.job = job;
    }

    @Override
    public void run() {
        String backupId = job.grant().backup().id();
        LOG.info("deleting backup {}", backupId);
        try {
            job.driver().delete(new BackupDeleteRequest(backupId), cancellation);
            LOG.info("deleted backup {}", backupId);
            job.succeeded();
        } catch (DriverException e) {
            if (job.silenced()) {
                LOG.warn("deletion of backup {} stopped, the job is no longer this node's: {}", backupId,
                        e.getMessage());
            } else {
                LOG.error("deletion of backup {} failed: {}", backupId, e.getMessage(), e);
            }
            job.failed(e.detail(), e.getMessage(), false);
        } catch (RuntimeException e) {
            LOG.error("deletion of backup {} failed unexpectedly", backupId, e);
            job.failed(FailureDetail.UNKNOWN_ERROR, e.toString(), false);
        }
    }

    @Override
    public String activity() {
        return "deleting backup " + job.backupId();
    }

    @Override
    public FailureDetail stallDetail() {
        return FailureDetail.UNKNOWN_ERROR;
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
