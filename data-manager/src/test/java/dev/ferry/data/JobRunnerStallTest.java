package dev.ferry.data;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.data.FakeLeases.Answer;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc.Grant;
import dev.ferry.messages.StatusRpc.Outcome;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stall watchdog and jobs that cannot be stopped: time passes on the {@link FakeTimer}'s clock, the job is a
 * {@link ScriptedJob} the test makes progress, finish, or ignore its cancel.
 */
class JobRunnerStallTest {
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final BackupRow BACKUP = new BackupRow("b1", "u", "p", "source", 1, null, "manila-data", null,
            null, "100", "0", "restoring", null, null, null, null, null);
    private static final ShareInfo SOURCE = new ShareInfo("source", "p", "NFS", 1, "/exports/source");
    private static final ShareInfo TARGET = new ShareInfo("target", "p", "NFS", 1, "/exports/target");
    private static final Grant RESTORE = new Grant("job-1", 3, JobKind.RESTORE, BACKUP, SOURCE, TARGET, 30);

    private final List<Transition> sent = Collections.synchronizedList(new ArrayList<>());
    private final List<StuckJob> stuckJobs = Collections.synchronizedList(new ArrayList<>());
    private final FakeLeases leases = new FakeLeases();
    private final FakeTimer timer = new FakeTimer();
    private final AtomicReference<ScriptedJob> job = new AtomicReference<>();
    private final ExecutorService slotThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void letStuckJobsGo() {
        if (job.get() != null) {
            job.get().finish();
        }
        slotThread.shutdownNow();
    }

    private JobRunner runner(Function<JobContext, ScriptedJob> jobs, LongSupplier nanoTime, Duration stopWait) {
        return new JobRunner("node-1",
                grant -> new JobContext(grant, null, (t, requestId) -> sent.add(t), "node-1", "req-1", Duration.ZERO),
                context -> {
                    job.set(jobs.apply(context));
                    return job.get();
                }, leases, timer, nanoTime, Duration.ofSeconds(5), new JobLimits(STALL, stopWait), stuckJobs::add);
    }

    private JobRunner runner(Function<JobContext, ScriptedJob> jobs) {
        return runner(jobs, timer::nanoTime, JobRunner.STOP_WAIT);
    }

    private Future<?> start(JobRunner runner, Grant grant) throws InterruptedException {
        Future<?> running = slotThread.submit(() -> runner.run(grant));
        await().until(() -> job.get() != null);
        job.get().awaitStarted();
        return running;
    }

    private List<Outcome> outcomes() {
        synchronized (sent) {
            return sent.stream().map(Transition::outcome).toList();
        }
    }

    @Test
    void aJobThatMakesNoProgressForTheStallTimeIsFailedSayingWhereItWasStuck() throws Exception {
        Future<?> running = start(runner(ScriptedJob::obedient), RESTORE);
        timer.advance(Duration.ofSeconds(30));
        job.get().progress("copying 'docs/a.txt'");

        timer.advance(STALL.minusSeconds(1));
        assertEquals(List.of(), outcomes(), "59 s without progress is not a stall yet");
        assertFalse(job.get().cancelled());

        timer.advance(Duration.ofSeconds(7)); // the watchdog looks every 6 s (a tenth of the stall time)

        running.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(Outcome.FAILED), outcomes(), "the job's own failure after the cancel is not sent");
        Transition failed = sent.get(0);
        assertEquals(FailureDetail.COPY_FAILED, failed.detail());
        assertTrue(failed.targetTouched(), "a stalled restore may have written part of its target");
        assertTrue(failed.reason().startsWith("The job made no progress for 60 s: "), failed.reason());
        assertTrue(failed.reason().contains("it was stuck while copying 'docs/a.txt' (a dead mount or a hung NFS "
                + "server?)"), failed.reason());
        assertTrue(job.get().cancelled(), "the watchdog cancels the job");
        assertEquals(List.of(), timer.pending(), "the job ended: no renewals, no looks, no stop check");
        assertEquals(List.of(), stuckJobs);
    }

    @Test
    void aJobThatNeverProgressesIsFailedAfterTheStallTimeFromItsStart() throws Exception {
        Future<?> running = start(runner(ScriptedJob::obedient), RESTORE);

        timer.advance(STALL);

        running.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(Outcome.FAILED), outcomes());
        assertTrue(sent.get(0).reason().startsWith("The job made no progress for 60 s: it was stuck while starting"),
                sent.get(0).reason());
    }

    @Test
    void aJobThatKeepsProgressingIsNeverCalledStalledHoweverLongItRuns() throws Exception {
        Future<?> running = start(runner(ScriptedJob::obedient), RESTORE);

        for (int second = 0; second < 600; second += 5) {
            timer.advance(Duration.ofSeconds(5));
            job.get().progress("copying 'big.img' at byte " + second * 1_000_000L);
        }
        assertEquals(List.of(), outcomes(), "ten minutes of slow progress, no failure");
        assertFalse(job.get().cancelled());
        job.get().finish();

        running.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(Outcome.SUCCEEDED), outcomes());
        assertTrue(leases.renewals.size() >= 59, "its lease was renewed all along: " + leases.renewals.size());
    }

    @Test
    void aStalledShareDeletionFailsAsAFolderFailureAndLeavesNothingTouched() throws Exception {
        Grant deleteShare = new Grant("job-2", 1, JobKind.DELETE_SHARE, null, null, TARGET, 30);
        Future<?> running = start(runner(ScriptedJob::obedient), deleteShare);
        job.get().progress("deleting 'tmp/x'");

        timer.advance(STALL.plus(Duration.ofSeconds(6)));

        running.get(30, TimeUnit.SECONDS);
        assertEquals(FailureDetail.SHARE_FOLDER_FAILED, sent.get(0).detail());
        assertFalse(sent.get(0).targetTouched());
        assertTrue(sent.get(0).reason().contains("stuck while deleting 'tmp/x'"), sent.get(0).reason());
    }

    @Test
    void aStalledJobThatIgnoresItsCancelIsDeclaredStuckOnceAfterTheStopWait() throws Exception {
        JobRunner runner = runner(ScriptedJob::stubborn);
        start(runner, RESTORE);
        timer.advance(STALL);
        assertEquals(List.of(Outcome.FAILED), outcomes(), "the stall is reported at once, stuck or not");
        assertTrue(job.get().cancelled());

        timer.advance(JobRunner.STOP_WAIT.minusSeconds(1));
        assertEquals(List.of(), stuckJobs, "still within the time a cancelled job has to stop");

        timer.advance(Duration.ofSeconds(1));

        assertEquals(List.of(new StuckJob("job-1", 3, "req-1", "it made no progress for 60 s", JobRunner.STOP_WAIT)),
                stuckJobs);
        assertTrue(runner.stuck());
        assertFalse(job.get().hasReturned());
        int renewals = leases.renewals.size();
        timer.advance(Duration.ofMinutes(10));
        assertEquals(renewals, leases.renewals.size(), "the stuck job's lease is no longer renewed");
        assertEquals(List.of(), timer.pending());
        assertEquals(1, stuckJobs.size(), "declared once");

        runner.drain(timer.nanoTime());
        assertEquals(List.of(), leases.releases, "a drain neither waits for it nor releases it while it may write");
    }

    @Test
    void aJobThatIgnoresTheCancelAfterItsLeaseWasLostIsDeclaredStuck() throws Exception {
        JobRunner runner = runner(ScriptedJob::stubborn);
        start(runner, RESTORE);
        leases.answer(Answer.lost("job job-1 is queued again at epoch 4"));
        timer.advance(Duration.ofSeconds(10)); // the first renewal hears that the lease is lost
        assertTrue(job.get().cancelled());

        timer.advance(JobRunner.STOP_WAIT);

        assertEquals(1, stuckJobs.size());
        assertEquals("its lease was lost", stuckJobs.get(0).cancelledBecause());
        assertEquals(List.of(), outcomes(), "a job whose lease was lost says nothing, stuck or not");
    }

    @Test
    void aJobThatIgnoresTheCancelOfADrainIsDeclaredStuckAndNotReleased() {
        JobRunner runner = runner(ScriptedJob::stubborn, System::nanoTime, Duration.ofMillis(200));
        slotThread.submit(() -> runner.run(RESTORE));
        await().until(() -> job.get() != null && runner.busy());

        runner.drain(System.nanoTime()); // the drain time is over at once; the job gets 200 ms to stop

        assertTrue(job.get().cancelled());
        assertEquals(1, stuckJobs.size());
        assertEquals("the node drained", stuckJobs.get(0).cancelledBecause());
        assertEquals(List.of(), leases.releases, "not released while it may still write");
        assertEquals(List.of(), outcomes());
    }
}
