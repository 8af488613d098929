package dev.ferry.data;

import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.DriverException;
import dev.ferry.drivers.VerifyReport;
import dev.ferry.messages.FailureDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed verification ({@code verify_backup}): the driver reads the backup's repository copy and checks every
 * file against the manifest. It writes nothing. A sound backup is a success (the api-gateway records an INFO
 * message, {@link FailureDetail#BACKUP_SOUND}); damaged or missing files are a failure with
 * {@link FailureDetail#DAMAGED_FILES} whose reason gives their count and the first of them.
 */
public final class VerifyBackupJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyBackupJob.class);
    private final JobContext job;
    private final Cancellation cancellation = new Cancellation();

    public VerifyBackupJob(JobContext job) {
        this.job = job;
    }

    @Override
    public void run() {
        String backupId = job.grant().backup().id();
        LOG.info("verifying backup {}", backupId);
        try {
            VerifyReport report = job.driver().verify(backupId, job.progressListener(), cancellation);
            if (report.sound()) {
                LOG.info("backup {} is sound: {} files, {} bytes checked", backupId, report.filesChecked(),
                        report.bytesChecked());
                job.succeeded();
            } else {
                String reason = damaged(backupId, report);
                LOG.warn("{}", reason);
                job.failed(FailureDetail.DAMAGED_FILES, reason, false);
            }
        } catch (DriverException e) {
            if (job.silenced()) {
                LOG.info("verification of backup {} stopped, the job is no longer this node's: {}", backupId,
                        e.getMessage());
            } else {
                LOG.error("verification of backup {} failed: {}", backupId, e.getMessage());
            }
            job.failed(e.detail(), e.getMessage(), false);
        } catch (RuntimeException e) {
            LOG.error("verification of backup {} failed unexpectedly", backupId, e);
            job.failed(FailureDetail.UNKNOWN_ERROR, e.toString(), false);
        }
    }

    /** "2 of 120 files of backup b1 are damaged or missing in the backup repository: a.txt, docs/b.bin". */
    static String damaged(String backupId, VerifyReport report) {
        long checked = Math.max(report.filesChecked(), report.damagedFiles());
        String first = String.join(", ", report.firstDamaged());
        return report.damagedFiles() + " of " + checked + (checked == 1 ? " file" : " files") + " of backup "
                + backupId + (report.damagedFiles() == 1 ? " is" : " are")
                + " damaged or missing in the backup repository"
                + (first.isEmpty() ? "" : (report.damagedFiles() > report.firstDamaged().size() ? "; the first: "
                        : ": ") + first)
                + ". A restore writes every other file and none of these.";
    }

    @Override
    public String activity() {
        return "verifying backup " + job.backupId();
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
