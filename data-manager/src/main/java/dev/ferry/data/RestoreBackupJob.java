package dev.ferry.data;

import dev.ferry.drivers.Cancellation;
import dev.ferry.messages.FailureDetail;

/**
 * One claimed restore ({@code restore_backup}) of a backup into an existing share, in place or out of place:
 * decides whether the driver may do it (restore-to-target capability, protocol pair), runs it through the
 * driver, and reports the outcome ({@link RestoreIntoShare}). No data is touched when a check fails.
 */
public final class RestoreBackupJob implements Job {
    private final JobContext job;
    private final Cancellation cancellation = new Cancellation();
    private final RestoreIntoShare restore;

    public RestoreBackupJob(JobContext job) {
        this.job = job;
        this.restore = new RestoreIntoShare(job, cancellation);
    }

    @Override
    public void run() {
        if (restore.permitted()) {
            restore.run();
        }
    }

    @Override
    public String activity() {
        return "restoring backup " + job.backupId() + " into share " + job.targetId();
    }

    @Override
    public FailureDetail stallDetail() {
        return FailureDetail.COPY_FAILED;
    }

    /** A restore overwrites the target's files: one that stalls or dies may have written part of them. */
    @Override
    public boolean mayHaveWrittenTarget() {
        return true;
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }
}
