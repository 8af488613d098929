package dev.ferry.data;

import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.DriverException;
import dev.ferry.drivers.ShareLocation;
import dev.ferry.messages.FailureDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed creation of a {@code subdir} share: creates the share's folder under its base export and, when the
 * share is created from a backup, restores the backup into it exactly as a {@link RestoreBackupJob} does (same checks,
 * made before the folder is created, same progress and failures). A folder left by an earlier attempt is kept.
 */
public final class CreateShareJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(CreateShareJob.class);
    private final JobContext job;
    private final Cancellation cancellation = new Cancellation();

    public CreateShareJob(JobContext job) {
        this.job = job;
    }

    @Override
    public void run() {
        String shareId = job.grant().target() == null ? null : job.grant().target().id();
        String what = "creation of share " + shareId;
        ShareLocation share = SubdirShareJobs.targetOrFail(job, what, LOG);
        if (share == null) {
            return;
        }
        RestoreIntoShare restore = job.grant().backup() == null ? null : new RestoreIntoShare(job, cancellation);
        if (restore != null && !restore.permitted()) {
            return; // reported; the folder was not even created
        }
        LOG.info("creating the folder of share {} ({})", shareId, share.exportPath());
        try {
            job.shares().create(share, cancellation);
        } catch (DriverException e) {
            SubdirShareJobs.failed(job, what, e, LOG);
            return;
        } catch (RuntimeException e) {
            SubdirShareJobs.failedUnexpectedly(job, what, e, LOG);
            return;
        }
        if (restore == null) {
            LOG.info("created share {}: an empty folder", shareId);
            job.succeeded();
            return;
        }
        LOG.info("created the folder of share {}; filling it from backup {}", shareId, job.grant().backup().id());
        restore.run();
    }

    @Override
    public String activity() {
        return "creating share " + job.targetId()
                + (job.grant().backup() == null ? "" : " from backup " + job.backupId());
    }

    @Override
    public FailureDetail stallDetail() {
        return job.grant().backup() == null ? FailureDetail.SHARE_FOLDER_FAILED : FailureDetail.COPY_FAILED;
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
