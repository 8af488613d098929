package dev.ferry.data;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc.Grant;
import dev.ferry.messages.StatusRpc.Outcome;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A node with two slots whose runners are real ({@link JobRunner}) and whose jobs the test steers
 * ({@link ScriptedJob}): what happens when one job's thread cannot be stopped, and on a plain close.
 */
class NodeShutdownTest {
    private static final BackupRow BACKUP = new BackupRow("b1", "u", "p", "source", 1, null, "manila-data", null,
            null, "100", "0", "restoring", null, null, null, null, null);
    private static final ShareInfo SOURCE = new ShareInfo("source", "p", "NFS", 1, "/exports/source");
    private static final Duration STALL = Duration.ofSeconds(60);

    /** A slot without a broker: consuming until told not to; drains as {@link JobSlot} does, through its runner. */
    private static final class RunnerSlot implements Slot {
        final JobRunner runner;
        volatile boolean consuming = true;

        RunnerSlot(JobRunner runner) {
            this.runner = runner;
        }

        @Override
        public void stopConsuming() {
            consuming = false;
        }

        @Override
        public void drain(long deadlineNanos, Duration handlingWait) {
            stopConsuming();
            runner.drain(deadlineNanos);
        }

        @Override
        public boolean busy() {
            return runner.busy();
        }
    }

    /** What the node did, in order: transitions sent, disconnected, exited. */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final FakeTimer timer = new FakeTimer();
    private final FakeLeases leases = new FakeLeases();
    private final Map<String, ScriptedJob> jobs = new ConcurrentHashMap<>();
    private final ExecutorService slotThreads = Executors.newFixedThreadPool(2);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger shutdownLogger = (Logger) LoggerFactory.getLogger(NodeShutdown.class);
    private NodeShutdown shutdown;

    @BeforeEach
    void captureLog() {
        log.start();
        shutdownLogger.addAppender(log);
    }

    @AfterEach
    void letJobsGo() {
        shutdownLogger.detachAppender(log);
        jobs.values().forEach(ScriptedJob::finish);
        slotThreads.shutdownNow();
    }

    private RunnerSlot slot(Function<JobContext, ScriptedJob> kind, LongSupplier nanoTime, Duration stopWait) {
        return new RunnerSlot(new JobRunner("node-1",
                grant -> new JobContext(grant, null, (t, requestId) -> events.add(describe(t)), "node-1",
                        "req-" + grant.jobId(), Duration.ZERO),
                context -> {
                    ScriptedJob job = kind.apply(context);
                    jobs.put(context.grant().jobId(), job);
                    return job;
                }, leases, timer, nanoTime, Duration.ofSeconds(5), new JobLimits(STALL, stopWait),
                stuck -> shutdown.jobCannotStop(stuck)));
    }

    private static String describe(Transition transition) {
        return transition.outcome().wire() + " " + transition.jobId();
    }

    private NodeShutdown shutdown(List<RunnerSlot> slots, LongSupplier nanoTime) {
        return new NodeShutdown("node-1", slots, Duration.ofSeconds(60), Duration.ofSeconds(1), nanoTime,
                () -> events.add("disconnected"), status -> events.add("exit " + status));
    }

    private ScriptedJob start(RunnerSlot slot, String jobId) throws InterruptedException {
        slotThreads.submit(() -> slot.runner.run(new Grant(jobId, 1, JobKind.RESTORE, BACKUP, SOURCE,
                new ShareInfo("share-" + jobId, "p", "NFS", 1, "/exports/" + jobId), 30)));
        await().until(() -> jobs.containsKey(jobId));
        jobs.get(jobId).awaitStarted();
        return jobs.get(jobId);
    }

    @Test
    void aJobThreadThatIgnoresItsCancelMakesTheNodeUnreadyThenItDrainsAndExits() throws Exception {
        RunnerSlot stuckSlot = slot(ScriptedJob::stubborn, timer::nanoTime, JobRunner.STOP_WAIT);
        RunnerSlot otherSlot = slot(ScriptedJob::obedient, timer::nanoTime, JobRunner.STOP_WAIT);
        shutdown = shutdown(List.of(stuckSlot, otherSlot), timer::nanoTime);
        start(stuckSlot, "job-stuck");
        ScriptedJob other = start(otherSlot, "job-other");

        for (int second = 0; second < STALL.plus(JobRunner.STOP_WAIT).toSeconds(); second += 5) {
            timer.advance(Duration.ofSeconds(5));
            other.progress("copying 'file-" + second + "'");
        }

        assertTrue(stuckSlot.runner.stuck());
        assertFalse(shutdown.ready(), "the node says it is not ready");
        assertFalse(stuckSlot.consuming, "no slot takes casts any more");
        assertFalse(otherSlot.consuming, "no slot takes casts any more");
        ILoggingEvent error = log.list.stream().filter(e -> e.getLevel() == Level.ERROR).findFirst().orElseThrow();
        assertTrue(error.getFormattedMessage().startsWith("data node node-1 is no longer ready: job job-stuck "
                + "(request req-job-stuck) did not stop within 60 s of being cancelled because it made no progress "
                + "for 60 s; its thread is stuck"), error.getFormattedMessage());
        assertTrue(error.getFormattedMessage().contains("lets its other running jobs finish within 60 s "
                + "(FERRY_DRAIN_SECONDS), then exits with status 75 so that its supervisor (systemd, Kubernetes) "
                + "restarts it"), error.getFormattedMessage());
        assertEquals(List.of("failed job-stuck"), events, "the other job still runs: no exit before it ends");
        assertFalse(other.cancelled());

        other.finish();

        await().until(() -> events.contains("exit 75"));
        assertEquals(List.of("failed job-stuck", "succeeded job-other", "disconnected", "exit 75"), events);
        assertEquals(List.of(), leases.releases, "the other job finished; the stuck one is never released");
    }

    @Test
    void aJobThatCannotBeStoppedDuringADrainMakesTheNodeExitOnceDrained() {
        RunnerSlot stuckSlot = slot(ScriptedJob::stubborn, System::nanoTime, Duration.ofMillis(200));
        RunnerSlot idleSlot = slot(ScriptedJob::obedient, System::nanoTime, Duration.ofMillis(200));
        shutdown = new NodeShutdown("node-1", List.of(stuckSlot, idleSlot), Duration.ZERO, Duration.ofSeconds(1),
                System::nanoTime, () -> events.add("disconnected"), status -> events.add("exit " + status));
        slotThreads.submit(() -> stuckSlot.runner.run(new Grant("job-stuck", 1, JobKind.RESTORE, BACKUP, SOURCE,
                SOURCE, 30)));
        await().until(stuckSlot::busy);

        shutdown.close(); // SIGTERM: no drain time, and the cancelled job gets 200 ms to stop

        assertEquals(List.of("disconnected", "exit 75"), events, "its cancel sends nothing; then the node exits");
        assertFalse(shutdown.ready());
        assertEquals(List.of(), leases.releases, "not released while it may still write");
    }

    @Test
    void aNodeClosedWithoutAStuckJobDrainsAndDoesNotExit() throws Exception {
        RunnerSlot slot = slot(ScriptedJob::obedient, System::nanoTime, JobRunner.STOP_WAIT);
        shutdown = shutdown(List.of(slot), System::nanoTime);
        ScriptedJob job = start(slot, "job-1");

        Thread closing = new Thread(shutdown::close);
        closing.start();
        await().until(() -> !slot.consuming);
        job.finish();
        closing.join(30_000);

        assertFalse(closing.isAlive());
        assertEquals(List.of("succeeded job-1", "disconnected"), events);
        assertFalse(shutdown.ready());
    }
}
