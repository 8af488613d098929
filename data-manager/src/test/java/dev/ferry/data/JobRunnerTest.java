package dev.ferry.data;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.data.FakeLeases.Answer;
import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyProgress;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc.Grant;
import dev.ferry.messages.StateRpc.Hold;
import dev.ferry.messages.StatusRpc.Outcome;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Drains and lost leases, with a job the test finishes by hand, fake lease calls and a hand-run timer. */
class JobRunnerTest {
    private static final BackupRow BACKUP = new BackupRow("b1", "u", "p", "source", 1, null, "manila-data", null,
            null, "100", "0", "restoring", null, null, null, null, null);
    private static final ShareInfo SHARE = new ShareInfo("target", "p", "NFS", 1, "/exports/target");
    private static final Grant GRANT = new Grant("job-1", 3, JobKind.RESTORE, BACKUP, SHARE, SHARE, 30);
    private static final Hold HOLD = new Hold("job-1", 3, "node-1");

    /** Runs until the test finishes it or it is cancelled, then reports like a real job (progress, outcome). */
    private static final class HeldJob extends JobOfItsKind {
        final JobContext context;
        final Cancellation cancellation = new Cancellation();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch finish = new CountDownLatch(1);
        volatile boolean cancelled;

        HeldJob(JobContext context) {
            super(context);
            this.context = context;
        }

        @Override
        public void run() {
            started.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            context.progressListener().onProgress(new CopyProgress(50, 100, 1, 2));
            if (cancelled) {
                context.failed(FailureDetail.COPY_FAILED, "the copy was cancelled", true);
            } else {
                context.succeeded();
            }
        }

        @Override
        public Cancellation cancellation() {
            return cancellation;
        }

        @Override
        public void cancel() {
            cancellation.cancel();
            cancelled = true;
            finish.countDown();
        }
    }

    private final List<Transition> sent = Collections.synchronizedList(new ArrayList<>());
    private final List<StuckJob> stuckJobs = Collections.synchronizedList(new ArrayList<>());
    private final FakeLeases leases = new FakeLeases();
    private final FakeTimer timer = new FakeTimer();
    private final AtomicReference<HeldJob> job = new AtomicReference<>();
    private final ExecutorService slotThread = Executors.newSingleThreadExecutor();
    private final ExecutorService drainThread = Executors.newSingleThreadExecutor();
    private final JobRunner runner = new JobRunner("node-1",
            grant -> new JobContext(grant, null, (t, requestId) -> sent.add(t), "node-1", "req-1", Duration.ZERO),
            context -> {
                job.set(new HeldJob(context));
                return job.get();
            }, leases, timer, System::nanoTime, Duration.ofSeconds(5),
            new JobLimits(Duration.ofSeconds(300), JobRunner.STOP_WAIT), stuck -> stuckJobs.add(stuck));

    @AfterEach
    void stop() {
        slotThread.shutdownNow();
        drainThread.shutdownNow();
    }

    private Future<?> startJob() throws InterruptedException {
        Future<?> running = slotThread.submit(() -> runner.run(GRANT));
        await().until(() -> job.get() != null);
        assertTrue(job.get().started.await(30, TimeUnit.SECONDS));
        return running;
    }

    private List<Outcome> outcomes() {
        synchronized (sent) {
            return sent.stream().map(Transition::outcome).toList();
        }
    }

    @Test
    void aJobThatFinishesWithinTheDrainTimeSendsItsSuccess() throws Exception {
        Future<?> running = startJob();
        Future<?> drain = drainThread.submit(() -> runner.drain(System.nanoTime() + TimeUnit.HOURS.toNanos(1)));

        job.get().finish.countDown();

        drain.get(30, TimeUnit.SECONDS);
        running.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(Outcome.PROGRESS, Outcome.SUCCEEDED), outcomes());
        assertFalse(job.get().cancelled);
        assertEquals(List.of(), leases.releases);
        assertFalse(runner.busy());
    }

    @Test
    void aJobStillRunningWhenTheDrainTimeRunsOutIsCancelledAndReleasedWithoutAFailure() throws Exception {
        Future<?> running = startJob();

        runner.drain(System.nanoTime());

        running.get(30, TimeUnit.SECONDS);
        assertTrue(job.get().cancelled);
        assertEquals(List.of(), outcomes(), "neither its failure nor its progress after the cancel is sent");
        assertEquals(List.of(new FakeLeases.Release(HOLD, "node node-1 drained")), leases.releases);
        assertEquals(List.of(), timer.pending(), "its lease is no longer renewed, its progress no longer watched");
        assertEquals(List.of(), stuckJobs, "it stopped when cancelled");
    }

    @Test
    void aJobClaimedWhileDrainingIsReleasedWithoutStarting() {
        runner.drain(System.nanoTime());

        runner.run(GRANT);

        assertEquals(1, job.get().started.getCount(), "never started");
        assertEquals(List.of(new FakeLeases.Release(HOLD, "node node-1 drained")), leases.releases);
        assertEquals(List.of(), outcomes());
    }

    @Test
    void aLostLeaseCancelsTheJobAndSilencesIt() throws Exception {
        Future<?> running = startJob();
        assertEquals(Duration.ofSeconds(1), timer.last().delay(), "renewals every second");
        leases.answer(Answer.lost("job job-1 is queued again at epoch 4"));

        timer.runNext();

        running.get(30, TimeUnit.SECONDS);
        assertTrue(job.get().cancelled, "the node stops writing");
        assertEquals(List.of(), outcomes(), "no transition after the lease is lost");
        assertEquals(List.of(), leases.releases, "nothing to release: the job is no longer this node's");
        assertEquals(List.of(), timer.pending(), "nothing left to check: it stopped when cancelled");
        assertEquals(List.of(), stuckJobs);
    }

    @Test
    void renewalsGoOnWhileTheJobRunsAndStopWhenItEnds() throws Exception {
        Future<?> running = startJob();
        timer.runNext();
        timer.runNext();

        job.get().finish.countDown();

        running.get(30, TimeUnit.SECONDS);
        assertEquals(2, leases.renewals.size());
        assertEquals(HOLD, leases.renewals.get(0).hold());
        assertEquals(List.of(), timer.pending());
        assertEquals(List.of(Outcome.PROGRESS, Outcome.SUCCEEDED), outcomes());
    }
}
