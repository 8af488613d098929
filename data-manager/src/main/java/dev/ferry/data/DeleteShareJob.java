package dev.ferry.data;

import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.DriverException;
import dev.ferry.drivers.ShareLocation;
import dev.ferry.messages.FailureDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed deletion of a {@code subdir} share: removes the share's folder and everything in it (symbolic links
 * are removed, never followed). A folder already gone counts as removed, so a re-dispatched delete is harmless.
 */
public final class DeleteShareJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteShareJob.class);
    private final JobContext job;
    private final Cancellation cancellation = new Cancellation();

    public DeleteShareJob(JobContext job) {
        this.job = job;
    }

    @Override
    public void run() {
        String shareId = job.grant().target() == null ? null : job.grant().target().id();
        String what = "deletion of share " + shareId;
        ShareLocation share = SubdirShareJobs.targetOrFail(job, what, LOG);
        if (share == null) {
            return;
        }
        LOG.info("removing the folder of share {} ({})", shareId, share.exportPath());
        try {
            job.shares().delete(share, cancellation);
            LOG.info("deleted share {}", shareId);
            job.succeeded();
        } catch (DriverException e) {
            SubdirShareJobs.failed(job, what, e, LOG);
        } catch (RuntimeException e) {
            SubdirShareJobs.failedUnexpectedly(job, what, e, LOG);
        }
    }

    @Override
    public String activity() {
        return "deleting share " + job.targetId();
    }

    @Override
    public FailureDetail stallDetail() {
        return FailureDetail.SHARE_FOLDER_FAILED;
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
