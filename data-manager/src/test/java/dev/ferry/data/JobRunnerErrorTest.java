package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.drivers.BackupDriver;
import dev.ferry.drivers.BackupRequest;
import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyReport;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.drivers.RestoreRequest;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc.Grant;
import dev.ferry.messages.StatusRpc.Outcome;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a job throws, Errors included, fails that job only: the slot's thread goes on with the next job. */
class JobRunnerErrorTest {
    private static final BackupRow BACKUP = new BackupRow("b1", "u", "p", "source", 1, null, "manila-data", null,
            null, "100", "0", "restoring", null, null, null, null, null);
    private static final ShareInfo SOURCE = new ShareInfo("source", "p", "NFS", 1, "/exports/source");
    private static final ShareInfo TARGET = new ShareInfo("target", "p", "NFS", 1, "/exports/target");

    /** Restores by throwing what the test queued (then succeeding), after a step of progress. */
    private static final class ThrowingDriver implements BackupDriver {
        final Deque<Throwable> throwNext = new ArrayDeque<>();

        @Override
        public boolean useDataManager() {
            return true;
        }

        @Override
        public boolean supportRestoreToTarget() {
            return true;
        }

        @Override
        public boolean supportsRestore(String backupProtocol, String targetProtocol) {
            return true;
        }

        @Override
        public boolean supportsBackup(String shareProtocol) {
            return true;
        }

        @Override
        public CopyReport backup(BackupRequest request, ProgressListener progress, Cancellation cancellation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CopyReport restore(RestoreRequest request, ProgressListener progress, Cancellation cancellation) {
            cancellation.progressed("copying 'huge/listing.db'");
            Throwable next = throwNext.poll();
            if (next instanceof Error error) {
                throw error;
            }
            if (next instanceof RuntimeException bug) {
                throw bug;
            }
            return new CopyReport(1, 0, 0, 10, 0);
        }
    }

    private final List<Transition> sent = Collections.synchronizedList(new ArrayList<>());
    private final FakeTimer timer = new FakeTimer();
    private final ThrowingDriver driver = new ThrowingDriver();
    private final ExecutorService slotThread = Executors.newSingleThreadExecutor();
    private final JobRunner runner = runner(JobRunner::jobFor);

    private JobRunner runner(Function<JobContext, Job> jobs) {
        return new JobRunner("node-1",
                grant -> new JobContext(grant, driver, (t, requestId) -> sent.add(t), "node-1", "req-7", Duration.ZERO),
                jobs, new FakeLeases(), timer, timer::nanoTime, Duration.ofSeconds(5),
                new JobLimits(Duration.ofSeconds(300), JobRunner.STOP_WAIT), stuck -> {
                    throw new AssertionError("no job is stuck here: " + stuck);
                });
    }

    @AfterEach
    void stop() {
        slotThread.shutdownNow();
    }

    private static Grant restore(String jobId) {
        return new Grant(jobId, 1, JobKind.RESTORE, BACKUP, SOURCE, TARGET, 30);
    }

    /** Runs a job on the slot's thread, as a slot does; fails the test if anything escapes the runner. */
    private void runOnSlot(JobRunner on, Grant grant) throws Exception {
        slotThread.submit(() -> on.run(grant)).get(30, TimeUnit.SECONDS);
    }

    private void runOnSlot(Grant grant) throws Exception {
        runOnSlot(runner, grant);
    }

    @Test
    void aJobThatRunsOutOfMemoryFailsWithThatReasonAndTheNextJobOnTheSlotRuns() throws Exception {
        driver.throwNext.add(new OutOfMemoryError("Java heap space"));

        runOnSlot(restore("job-1"));
        runOnSlot(restore("job-2"));

        assertEquals(List.of("job-1", "job-2"), sent.stream().map(Transition::jobId).toList());
        Transition failed = sent.get(0);
        assertEquals(Outcome.FAILED, failed.outcome());
        assertEquals(FailureDetail.UNKNOWN_ERROR, failed.detail());
        assertEquals("The data node ran out of memory (java.lang.OutOfMemoryError: Java heap space) while restoring "
                + "backup b1 into share target (its last step: copying 'huge/listing.db'); raise the node's heap "
                + "(-Xmx in the java command line, or FERRY_JAVA_OPTS=-Xmx… for ./ferry), or lower "
                + "FERRY_DATA_CONCURRENCY or FERRY_COPY_THREADS, then try again", failed.reason());
        assertTrue(failed.targetTouched(), "the restore may have written part of the target");
        assertEquals(Outcome.SUCCEEDED, sent.get(1).outcome(), "the slot went on with the next job");
        assertEquals(List.of(), timer.pending(), "the lease and the watchdog of the failed job were stopped");
    }

    @Test
    void aBugThatEscapesAJobFailsItAsABugToReport() throws Exception {
        JobRunner buggy = runner(context -> new JobOfItsKind(context) {
            private final Cancellation cancellation = new Cancellation();

            @Override
            public void run() {
                throw new IllegalStateException("no share folders on this node");
            }

            @Override
            public Cancellation cancellation() {
                return cancellation;
            }
        });

        runOnSlot(buggy, new Grant("job-3", 1, JobKind.DELETE_SHARE, null, null, TARGET, 30));
        runOnSlot(restore("job-4"));

        assertEquals(List.of(Outcome.FAILED, Outcome.SUCCEEDED), sent.stream().map(Transition::outcome).toList());
        assertEquals("The data node failed unexpectedly (java.lang.IllegalStateException: no share folders on this "
                + "node) while deleting share target (its last step: starting); this is a bug in Ferry: report it "
                + "with the data node's log of request req-7, then try again", sent.get(0).reason());
        assertEquals(FailureDetail.UNKNOWN_ERROR, sent.get(0).detail());
    }

    @Test
    void anErrorAfterTheJobWasSilencedSendsNothing() throws Exception {
        driver.throwNext.add(new StackOverflowError());
        JobRunner silencing = new JobRunner("node-1", grant -> {
            JobContext context = new JobContext(grant, driver, (t, requestId) -> sent.add(t), "node-1", "req-8",
                    Duration.ZERO);
            context.silence("the lease of job " + grant.jobId() + " was lost");
            return context;
        }, JobRunner::jobFor, new FakeLeases(), timer, timer::nanoTime, Duration.ofSeconds(5),
                new JobLimits(Duration.ofSeconds(300), JobRunner.STOP_WAIT), stuck -> { });

        runOnSlot(silencing, restore("job-5"));

        assertEquals(List.of(), sent);
    }
}
