package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobAttempt;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.OutboxMessage;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.api.testing.TestClock;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Expired leases: taken back once, cast again, and the job's attempts tell the story. */
class LeaseReaperTest extends OnBothDatabases {
    private static final int LEASE = 30;

    private static LeaseReaper reaper(Repositories repos) {
        CastOutbox outbox = new CastOutbox(repos.outbox(), "openstack", () -> { });
        return new LeaseReaper(repos, new JobRequeue(repos, outbox), outbox, Duration.ofSeconds(1));
    }

    /** A reaper whose jobs fail once their leases expired {@code maxAttempts} times. */
    private static LeaseReaper reaper(Repositories repos, int maxAttempts) {
        CastOutbox outbox = new CastOutbox(repos.outbox(), "openstack", () -> { });
        JobRequeue requeue = new JobRequeue(repos, outbox, new JobFailure(repos, UserMessageRecorder.TTL),
                maxAttempts);
        return new LeaseReaper(repos, requeue, outbox, Duration.ofSeconds(1));
    }

    private static ClaimService claims(Repositories repos) {
        return new ClaimService(repos, LEASE);
    }

    private static List<OutboxMessage> outbox(Fixtures f) {
        return f.repos().database().read(c -> f.repos().outbox().unsent(c, 1000));
    }

    private static List<JobAttempt> attempts(Fixtures f, String jobId) {
        return f.repos().database().read(c -> f.repos().attempts().forJob(c, jobId));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void twoReapersRacingReDispatchEachExpiredJobExactlyOnce(Engine engine) throws Exception {
        TestClock clock = new TestClock();
        Database db = dbs.fresh(engine);
        Fixtures f = new Fixtures(db, clock);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
            Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
            Job job = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
            claims(f.repos()).claim(new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), "node-a"),
                    job.requestId());
            jobs.add(job);
        }
        clock.advance(Duration.ofSeconds(LEASE + 1));
        LeaseReaper first = reaper(Repositories.over(db, clock));
        LeaseReaper second = reaper(Repositories.over(db, clock));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (LeaseReaper reaper : List.of(first, second)) {
                Callable<Integer> race = () -> {
                    go.await();
                    return reaper.reapOnce();
                };
                results.add(pool.submit(race));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get(30, TimeUnit.SECONDS);
            }
            assertEquals(jobs.size(), total, "between them the reapers re-dispatched every job once");
        } finally {
            pool.shutdownNow();
        }

        assertEquals(jobs.size(), outbox(f).size(), "one cast per job");
        for (Job job : jobs) {
            Job reaped = f.job(job.id());
            assertEquals(JobStatus.QUEUED, reaped.status());
            assertEquals(2, reaped.epoch());
            assertNull(reaped.node());
            assertEquals(List.of(JobAttempt.LEASE_EXPIRED), attempts(f, job.id()).stream()
                    .map(JobAttempt::outcome).toList());
        }
        assertEquals(0, reaper(f.repos()).reapOnce(), "nothing is left to reap");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRenewedLeaseIsNotReapedAndALeaseFromBeforeLeasesNever(Engine engine) throws Exception {
        TestClock clock = new TestClock();
        Fixtures f = new Fixtures(dbs.fresh(engine), clock);
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
        Share legacyShare = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Job legacy = f.job(JobKind.RESTORE, f.backup(legacyShare, 10, BackupStatus.RESTORING), legacyShare,
                JobStatus.RUNNING, 1, "old-node", null);
        claims(f.repos()).claim(new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), "node-a"),
                job.requestId());
        CastOutbox outbox = new CastOutbox(f.repos().outbox(), "openstack", () -> { });
        LeaseService leases = new LeaseService(f.repos(), new JobRequeue(f.repos(), outbox), outbox, LEASE);

        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(LEASE - 5));
            leases.renew(TestGrants.signed(f.repos(), new StateRpc.Hold(job.id(), 1, "node-a")));
            assertEquals(0, reaper(f.repos()).reapOnce());
        }
        clock.advance(Duration.ofDays(1));
        assertEquals(1, reaper(f.repos()).reapOnce(), "once renewals stop, the lease expires");
        assertEquals(JobStatus.RUNNING, f.job(legacy.id()).status(), "a job claimed without a lease is left alone");
        assertEquals(JobStatus.QUEUED, f.job(job.id()).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void attemptsRecordClaimExpiryReclaimAndSuccess(Engine engine) throws Exception {
        TestClock clock = new TestClock();
        Fixtures f = new Fixtures(dbs.fresh(engine), clock);
        Share share = f.share("p1", 10, ShareStatus.BACKUP_CREATING);
        Backup backup = f.backup(share, 10, BackupStatus.CREATING);
        Job job = f.job(JobKind.CREATE_BACKUP, backup, share, JobStatus.QUEUED, 0, null);
        ClaimService claims = claims(f.repos());
        TransitionApplier transitions = new TransitionApplier(f.repos());
        claims.claim(new StateRpc.Claim(JobKind.CREATE_BACKUP, backup.toRow(), share.id(), "node-a"),
                job.requestId());

        clock.advance(Duration.ofSeconds(LEASE + 1));
        assertEquals(1, reaper(f.repos()).reapOnce());
        RpcRequest cast = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, outbox(f).get(0).body());
        DataRpc.CreateBackup create = (DataRpc.CreateBackup) DataRpc.parse(cast);
        assertEquals(backup.id(), create.backup().id());
        assertEquals(job.requestId(), cast.requestId());

        clock.advance(Duration.ofSeconds(2));
        StateRpc.Grant grant = claims.claim(new StateRpc.Claim(JobKind.CREATE_BACKUP, create.backup(),
                create.shareId(), "node-b"), cast.requestId());
        assertEquals(job.id(), grant.jobId());
        assertEquals(3, grant.epoch());
        assertEquals(TransitionApplier.Result.DROPPED,
                transitions.apply(TestGrants.signed(f.repos(), Transition.succeeded(job.id(), 1, "node-a"))), "the old holder's word is stale");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(TransitionApplier.Result.APPLIED, transitions.apply(TestGrants.signed(f.repos(), Transition.succeeded(job.id(), 3, "node-b"))));

        List<JobAttempt> attempts = attempts(f, job.id());
        assertEquals(2, attempts.size());
        JobAttempt expired = attempts.get(0);
        assertEquals(1, expired.epoch());
        assertEquals("node-a", expired.node());
        assertEquals(JobAttempt.LEASE_EXPIRED, expired.outcome());
        assertEquals(expired.startedAt().plusSeconds(LEASE + 1), expired.endedAt());
        JobAttempt succeeded = attempts.get(1);
        assertEquals(3, succeeded.epoch());
        assertEquals("node-b", succeeded.node());
        assertEquals(JobAttempt.SUCCEEDED, succeeded.outcome());
        assertNotNull(succeeded.endedAt());
        assertEquals(JobStatus.SUCCEEDED, f.job(job.id()).status());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        assertEquals("node-b", f.backup(backup.id()).host(), "the node that made the backup");
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
    }

    /** Share jobs are taken back like backup jobs, and cast again with what they need from the database. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void expiredShareJobsAreCastAgainWithTheirBackupOrNewSize(Engine engine) throws Exception {
        TestClock clock = new TestClock();
        Database db = dbs.fresh(engine);
        Fixtures f = new Fixtures(db, clock);
        Share source = f.share("p1", 2, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 2, BackupStatus.RESTORING);
        Share created = f.subdirShare("p1", 2, ShareStatus.CREATING);
        Share shrinking = f.subdirShare("p1", 8, ShareStatus.SHRINKING);
        Job create = f.shareJob(JobKind.CREATE_SHARE, backup, created, null, JobStatus.QUEUED, 0, null);
        Job shrink = f.shareJob(JobKind.SHRINK_SHARE, null, shrinking, 3, JobStatus.QUEUED, 0, null);
        StateRpc.Grant createGrant = claims(f.repos()).claim(
                new StateRpc.Claim(JobKind.CREATE_SHARE, backup.toRow(), created.id(), "node-a"), create.requestId());
        assertEquals(backup.id(), createGrant.backup().id());
        assertEquals(source.id(), createGrant.source().id());
        assertEquals(created.exportPath(), createGrant.target().exportPath());
        StateRpc.Grant shrinkGrant = claims(f.repos()).claim(
                new StateRpc.Claim(JobKind.SHRINK_SHARE, null, shrinking.id(), "node-a"), shrink.requestId());
        assertNull(shrinkGrant.backup());
        assertEquals(3, shrinkGrant.target().sizeGib(), "a shrink's grant carries the size asked for");

        clock.advance(Duration.ofSeconds(LEASE + 1));
        assertEquals(2, reaper(Repositories.over(db, clock)).reapOnce());
        List<OutboxMessage> sent = outbox(f);
        assertEquals(2, sent.size());
        List<DataRpc.DataCast> casts = new ArrayList<>();
        for (OutboxMessage m : sent) {
            casts.add(DataRpc.parse(RpcRequest.decode("application/json", m.body())));
        }
        assertEquals(created.id(), casts.stream().filter(c -> c instanceof DataRpc.CreateShare).findFirst()
                .orElseThrow().shareId());
        assertEquals(backup.id(), casts.stream().filter(c -> c instanceof DataRpc.CreateShare).findFirst()
                .orElseThrow().backup().id());
        assertEquals(new DataRpc.ShrinkShare(shrinking.id(), 3),
                casts.stream().filter(c -> c instanceof DataRpc.ShrinkShare).findFirst().orElseThrow());
        assertEquals(JobStatus.QUEUED, f.job(create.id()).status());
        assertEquals(2, f.job(shrink.id()).epoch());
    }

    /**
     * FERRY_JOB_MAX_ATTEMPTS=3: a restore whose node dies three times is not cast a fourth time; it fails as a
     * restore fails once it may have written into its target, and says why and where to look.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRestoreWhoseLeasesExpireMaxAttemptsTimesFailsInsteadOfRunningAgain(Engine engine) throws Exception {
        TestClock clock = new TestClock();
        Fixtures f = new Fixtures(dbs.fresh(engine), clock);
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share target = f.share("p2", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(source, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, target, JobStatus.QUEUED, 0, null);
        LeaseReaper reaper = reaper(f.repos(), 3);
        ClaimService claims = claims(f.repos());
        StateRpc.Claim[] claimsBy = new StateRpc.Claim[4];
        for (int n = 1; n <= 4; n++) {
            claimsBy[n - 1] = new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), target.id(), "node-" + n);
        }

        for (int attempt = 1; attempt <= 3; attempt++) {
            assertEquals(attempt, outbox(f).size() + 1, "the job was cast again after each earlier expiry");
            claims.claim(claimsBy[attempt - 1], job.requestId());
            clock.advance(Duration.ofSeconds(LEASE + 1));
            assertEquals(1, reaper.reapOnce(), "attempt " + attempt);
        }

        Job failed = f.job(job.id());
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(FailureDetail.UNKNOWN_ERROR.id(), failed.detailId());
        assertTrue(failed.reason().startsWith("Ferry gave up on this job after 3 attempts whose data nodes stopped "
                + "renewing their lease"), failed.reason());
        assertTrue(failed.reason().contains("data nodes node-1, node-2, node-3 for request " + job.requestId()),
                failed.reason());
        assertTrue(failed.reason().contains("out-of-memory"), failed.reason());
        assertTrue(failed.reason().contains("FERRY_JOB_MAX_ATTEMPTS (3)"), failed.reason());
        assertEquals(List.of(JobAttempt.LEASE_EXPIRED, JobAttempt.LEASE_EXPIRED, JobAttempt.LEASE_EXPIRED),
                attempts(f, job.id()).stream().map(JobAttempt::outcome).toList());
        assertEquals(2, outbox(f).size(), "cast again after the first two expiries only");
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        assertEquals(ShareStatus.BACKUP_RESTORING_ERROR, f.share(target.id()).status(),
                "the dead nodes may have written into the target");
        List<UserMessage> messages = messages(f);
        assertEquals(1, messages.size());
        assertEquals("028", messages.get(0).actionId());
        assertEquals(FailureDetail.UNKNOWN_ERROR.id(), messages.get(0).detailId());
        assertEquals(target.id(), messages.get(0).resourceId());
        assertEquals("p2", messages.get(0).projectId());

        clock.advance(Duration.ofDays(1));
        assertEquals(0, reaper.reapOnce(), "a failed job is never taken back");
        assertThrows(RpcFailureException.class, () -> claims.claim(claimsBy[3], job.requestId()),
                "a cast sent before the job failed is refused when a node claims it");
        assertEquals(JobStatus.FAILED, f.job(job.id()).status());
    }

    /**
     * Only attempts that ended with an expired lease count: a release (a draining node) does not. A share
     * created from a backup fails as a failed creation does: the share error, the backup available again.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void releasesDoNotCountAndAShareFromABackupFailsAsACreationFails(Engine engine) throws Exception {
        TestClock clock = new TestClock();
        Fixtures f = new Fixtures(dbs.fresh(engine), clock);
        Share source = f.share("p1", 2, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 2, BackupStatus.RESTORING);
        Share created = f.subdirShare("p1", 2, ShareStatus.CREATING);
        Job job = f.shareJob(JobKind.CREATE_SHARE, backup, created, null, JobStatus.QUEUED, 0, null);
        LeaseReaper reaper = reaper(f.repos(), 2);
        ClaimService claims = claims(f.repos());
        CastOutbox outbox = new CastOutbox(f.repos().outbox(), "openstack", () -> { });
        LeaseService leases = new LeaseService(f.repos(), new JobRequeue(f.repos(), outbox), outbox, LEASE);

        StateRpc.Grant first = claims.claim(new StateRpc.Claim(JobKind.CREATE_SHARE, backup.toRow(), created.id(),
                "node-a"), job.requestId());
        leases.release(TestGrants.signed(f.repos(), new StateRpc.Hold(job.id(), first.epoch(), "node-a")), "node-a is draining");
        claims.claim(new StateRpc.Claim(JobKind.CREATE_SHARE, backup.toRow(), created.id(), "node-b"),
                job.requestId());
        clock.advance(Duration.ofSeconds(LEASE + 1));
        assertEquals(1, reaper.reapOnce());
        assertEquals(JobStatus.QUEUED, f.job(job.id()).status(), "one expiry of two allowed: cast again");

        claims.claim(new StateRpc.Claim(JobKind.CREATE_SHARE, backup.toRow(), created.id(), "node-c"),
                job.requestId());
        clock.advance(Duration.ofSeconds(LEASE + 1));
        assertEquals(1, reaper.reapOnce());

        Job failed = f.job(job.id());
        assertEquals(JobStatus.FAILED, failed.status());
        assertTrue(failed.reason().contains("after 2 attempts"), failed.reason());
        assertTrue(failed.reason().contains("data nodes node-b, node-c"), failed.reason());
        assertEquals(List.of("released: node-a is draining", JobAttempt.LEASE_EXPIRED, JobAttempt.LEASE_EXPIRED),
                attempts(f, job.id()).stream().map(JobAttempt::outcome).toList());
        assertEquals(ShareStatus.ERROR, f.share(created.id()).status());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        UserMessage message = messages(f).get(0);
        assertEquals("002", message.actionId());
        assertEquals(FailureDetail.UNKNOWN_ERROR.id(), message.detailId());
        assertEquals(created.id(), message.resourceId());
    }

    /** With FERRY_JOB_MAX_ATTEMPTS=1 the first expiry ends a backup: error, with the reason the user can read. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void withOneAttemptTheFirstExpiryFailsABackupWithItsReason(Engine engine) throws Exception {
        TestClock clock = new TestClock();
        Fixtures f = new Fixtures(dbs.fresh(engine), clock);
        Share share = f.share("p1", 10, ShareStatus.BACKUP_CREATING);
        Backup backup = f.backup(share, 10, BackupStatus.CREATING);
        Job job = f.job(JobKind.CREATE_BACKUP, backup, share, JobStatus.QUEUED, 0, null);
        claims(f.repos()).claim(new StateRpc.Claim(JobKind.CREATE_BACKUP, backup.toRow(), share.id(), "node-a"),
                job.requestId());
        clock.advance(Duration.ofSeconds(LEASE + 1));

        assertEquals(1, reaper(f.repos(), 1).reapOnce());

        assertEquals(List.of(), outbox(f), "not cast again");
        Backup failed = f.backup(backup.id());
        assertEquals(BackupStatus.ERROR, failed.status());
        assertTrue(failed.failReason().startsWith("Ferry gave up on this job after 1 attempt whose data node stopped "
                + "renewing its lease"), failed.failReason());
        assertTrue(failed.failReason().contains("the log of data node node-a for request " + job.requestId()),
                failed.failReason());
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
        assertEquals("900", messages(f).get(0).actionId());
    }

    private static List<UserMessage> messages(Fixtures f) {
        return f.repos().database().read(c -> f.repos().messages().list(c, UserMessageRepository.Filter.all()));
    }
}
