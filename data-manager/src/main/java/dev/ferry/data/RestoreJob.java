package dev.ferry.data;

import dev.ferry.drivers.Cancellation;

/**
 * One claimed restore: decides whether the driver may do it (restore-to-target capability, protocol
 * pair), runs it through the driver, and reports the outcome. No data is touched when a check fails.
 */
public final class RestoreJob implements Job {
    private final Cancellation cancellation = new Cancellation();
    private final BackupRestore restore;

    public RestoreJob(JobContext job) {
        this.restore = new BackupRestore(job, cancellation);
    }

    @Override
    public void run() {
        if (restore.permitted()) {
            restore.run();
        }
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }
}
