package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.metrics.JobMetrics;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.service.JobStop;
import dev.ferry.api.service.Policies;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.api.testing.TestClock;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc.Transition;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the job meters count: claims that open an attempt, ends by outcome and their duration, lease expiries. */
class JobMetricsTest extends OnBothDatabases {
    private static final int LEASE = 30;
    /** Fresh for each test and engine (the databases' fixture keeps one instance of the class). */
    private SimpleMeterRegistry registry;
    private JobMetrics metrics;

    private void freshMeters() {
        registry = new SimpleMeterRegistry();
        metrics = new JobMetrics(registry);
    }

    private ClaimService claims(Repositories repos) {
        return new ClaimService(repos, LEASE, Policies.defaults(), UserMessageRecorder.TTL, JobKinds.standard(repos),
                metrics);
    }

    private Job claimedRestore(Fixtures f) throws Exception {
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
        claims(f.repos()).claim(new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), "node-a"),
                job.requestId());
        return job;
    }

    private double ended(String outcome) {
        var counter = registry.find("ferry.jobs.ended").tag("kind", "restore_backup").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aClaimStartsAJobAndItsSuccessEndsItOnceWithItsDuration(Engine engine) throws Exception {
        freshMeters();
        TestClock clock = new TestClock();
        Fixtures f = new Fixtures(dbs.fresh(engine), clock);
        Job job = claimedRestore(f);
        assertEquals(1.0, registry.get("ferry.jobs.started").tag("kind", "restore_backup").counter().count());

        clock.advance(Duration.ofSeconds(7));
        TransitionApplier applier = new TransitionApplier(f.repos(), new JobFailure(f.repos(), UserMessageRecorder.TTL),
                JobKinds.standard(f.repos()), metrics);
        Transition success = TestGrants.signed(f.repos(), Transition.succeeded(job.id(), 1, "node-a"));
        applier.apply(success);
        applier.apply(success);
        applier.apply(TestGrants.signed(f.repos(), Transition.failed(job.id(), 1, "node-a", FailureDetail.COPY_FAILED,
                "late", true)));

        assertEquals(1.0, ended("succeeded"), "a duplicate or a late failure is dropped, and not counted");
        assertEquals(0.0, ended("failed"));
        Timer duration = registry.get("ferry.job.duration").tag("kind", "restore_backup").tag("outcome", "succeeded")
                .timer();
        assertEquals(1, duration.count());
        assertEquals(7.0, duration.totalTime(TimeUnit.SECONDS), 0.01, "from the claim to the end");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFailureACancelAndAnExpiredLeaseAreCounted(Engine engine) throws Exception {
        freshMeters();
        TestClock clock = new TestClock();
        Database db = dbs.fresh(engine);
        Fixtures f = new Fixtures(db, clock);
        Job failing = claimedRestore(f);
        new TransitionApplier(f.repos(), new JobFailure(f.repos(), UserMessageRecorder.TTL),
                JobKinds.standard(f.repos()), metrics).apply(TestGrants.signed(f.repos(),
                Transition.failed(failing.id(), 1, "node-a", FailureDetail.COPY_FAILED, "disk full", true)));
        assertEquals(1.0, ended("failed"));

        Job cancelled = claimedRestore(f);
        JobStop stop = new JobStop(f.repos(), UserMessageRecorder.TTL, JobKinds.standard(f.repos()), metrics);
        db.inTransaction(c -> stop.end(c, f.job(cancelled.id()), new JobStop.Why("alice", "p1", null)));
        assertEquals(1.0, ended("cancelled"));

        claimedRestore(f);
        clock.advance(Duration.ofSeconds(LEASE + 1));
        CastOutbox outbox = new CastOutbox(f.repos().outbox(), "openstack", () -> { });
        new LeaseReaper(f.repos(), new JobRequeue(f.repos(), outbox), outbox, Duration.ofSeconds(1), metrics)
                .reapOnce();
        assertEquals(1.0, registry.get("ferry.lease.expiries").counter().count());
        assertEquals(3.0, registry.get("ferry.jobs.started").tag("kind", "restore_backup").counter().count());
    }
}
