package dev.ferry.data;

import dev.ferry.drivers.Cancellation;
import dev.ferry.messages.FailureDetail;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A job the test steers: it shows progress when told ({@link #progress}, as a driver does for each entry), ends
 * when told ({@link #finish}) and then reports like a real job (a failure when it was cancelled, else success).
 * An obedient job also ends when cancelled; a stubborn one ignores the cancel, like a thread stuck in the kernel on
 * a dead NFS mount, until the test lets it go.
 */
final class ScriptedJob extends JobOfItsKind {
    private final JobContext context;
    private final boolean obeysCancel;
    private final Cancellation cancellation = new Cancellation();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch finish = new CountDownLatch(1);
    private final CountDownLatch returned = new CountDownLatch(1);

    private ScriptedJob(JobContext context, boolean obeysCancel) {
        super(context);
        this.context = context;
        this.obeysCancel = obeysCancel;
    }

    static ScriptedJob obedient(JobContext context) {
        return new ScriptedJob(context, true);
    }

    static ScriptedJob stubborn(JobContext context) {
        return new ScriptedJob(context, false);
    }

    JobContext context() {
        return context;
    }

    @Override
    public void run() {
        started.countDown();
        try {
            finish.await();
            if (cancellation.isCancelled()) {
                context.failed(FailureDetail.COPY_FAILED, "the copy was cancelled", true);
            } else {
                context.succeeded();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            returned.countDown();
        }
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public void cancel() {
        cancellation.cancel();
        if (obeysCancel) {
            finish.countDown();
        }
    }

    void progress(String where) {
        cancellation.progressed(where);
    }

    void finish() {
        finish.countDown();
    }

    boolean cancelled() {
        return cancellation.isCancelled();
    }

    void awaitStarted() throws InterruptedException {
        if (!started.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the job did not start within 30 s");
        }
    }

    boolean hasReturned() {
        return returned.getCount() == 0;
    }
}
