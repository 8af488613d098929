package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.metrics.JobMetrics;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.OutboxMessage;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.api.testing.TestClock;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A queued job whose cast the broker lost (its queue holds nothing ready, the cast went out long ago) is cast again,
 * once, and claimed once; a job whose cast waits in the queue, is unsent or recent, or that is no longer queued, is
 * left alone.
 */
class QueuedJobRedispatcherTest extends OnBothDatabases {
    private static final Duration THRESHOLD = Duration.ofSeconds(60);
    /** Consumed, nothing ready: where a queued job's cast is not. */
    private static final QueuedJobRedispatcher.Queues IDLE = queue -> Optional.of(new BrokerQueueCounts.Counts(0, 4));

    private static QueuedJobRedispatcher redispatcher(Repositories repos, QueuedJobRedispatcher.Queues queues,
                                                      JobMetrics metrics) {
        return new QueuedJobRedispatcher(repos, JobKinds.standard(repos),
                new CastOutbox(repos.outbox(), "openstack", () -> { }), queues, THRESHOLD, metrics);
    }

    private static QueuedJobRedispatcher redispatcher(Repositories repos, QueuedJobRedispatcher.Queues queues) {
        return redispatcher(repos, queues, JobMetrics.none());
    }

    /** A restore job queued now whose cast (one outbox row of its request) was sent now. */
    private static Job queuedRestoreWithSentCast(Fixtures f) {
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
        f.repos().database().inTransaction(c -> f.repos().outbox().markSent(c, f.repos().outbox().add(c, "openstack",
                DataRpc.TOPIC, new byte[] {'{', '}'}, job.requestId())));
        return job;
    }

    private static List<OutboxMessage> unsent(Fixtures f) {
        return f.repos().database().read(c -> f.repos().outbox().unsent(c, 1000));
    }

    private static StateRpc.Grant claim(Fixtures f, Job job, String node) throws RpcFailureException {
        Backup backup = f.backup(job.backupId());
        return new ClaimService(f.repos(), 30).claim(new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), job.shareId(),
                node), job.requestId());
    }

    /** Looks three times: a queue idle twice in a row would have had the job cast again. */
    private static void assertNoneCastAgain(QueuedJobRedispatcher redispatcher, String why) throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(0, redispatcher.redispatchOnce(), why);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aJobWhoseCastWasLostIsCastAgainOnceAndRunsOnce(Engine engine) throws Exception {
        TestClock clock = new TestClock();
        Fixtures f = new Fixtures(dbs.fresh(engine), clock);
        Job job = queuedRestoreWithSentCast(f);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueuedJobRedispatcher redispatcher = redispatcher(f.repos(), IDLE, new JobMetrics(registry));
        clock.advance(THRESHOLD.minusSeconds(1));
        assertEquals(0, redispatcher.redispatchOnce(), "a job queued for less than the threshold waits");

        clock.advance(Duration.ofSeconds(2));
        assertEquals(0, redispatcher.redispatchOnce(), "the queue was seen idle once");
        assertEquals(1, redispatcher.redispatchOnce(), "the queue was seen idle twice in a row");
        List<OutboxMessage> casts = unsent(f);
        assertEquals(1, casts.size(), "one new cast");
        assertEquals(DataRpc.TOPIC, casts.get(0).routingKey());
        assertEquals(job.requestId(), casts.get(0).requestId());
        RpcRequest cast = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, casts.get(0).body());
        assertEquals(DataRpc.RESTORE_BACKUP, cast.method());
        assertEquals(job.requestId(), cast.requestId());
        assertEquals(1.0, registry.find("ferry.jobs.redispatched").tag("kind", "restore_backup").counter().count());
        assertEquals(0, redispatcher.redispatchOnce(), "its new cast is not sent yet");

        f.repos().database().inTransaction(c -> f.repos().outbox().markSent(c, casts.get(0).id()));
        clock.advance(THRESHOLD.minusSeconds(1));
        assertEquals(0, redispatcher.redispatchOnce(), "cast again at most once per threshold");

        assertEquals(job.id(), claim(f, job, "node-a").jobId(), "one copy of the cast is claimed");
        RpcFailureException second = assertThrows(RpcFailureException.class, () -> claim(f, job, "node-b"));
        assertTrue(second.getMessage().contains("already claimed by node node-a"), second.getMessage());
        clock.advance(THRESHOLD.multipliedBy(2));
        assertEquals(0, redispatcher.redispatchOnce(), "a running job is never cast again");
        assertEquals(JobStatus.RUNNING, f.job(job.id()).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aJobWhoseCastWaitsInItsQueueIsNotCastAgain(Engine engine) throws Exception {
        TestClock clock = new TestClock();
        Fixtures f = new Fixtures(dbs.fresh(engine), clock);
        queuedRestoreWithSentCast(f);
        clock.advance(THRESHOLD.multipliedBy(10));
        Map<String, BrokerQueueCounts.Counts> busy = Map.of(DataRpc.TOPIC, new BrokerQueueCounts.Counts(3, 4),
                DataRpc.VERIFY_TOPIC, new BrokerQueueCounts.Counts(0, 4));
        assertNoneCastAgain(redispatcher(f.repos(), queue -> Optional.of(busy.get(queue))),
                "manila-data holds ready casts: this job's may be one of them");
        assertNoneCastAgain(redispatcher(f.repos(), queue -> Optional.of(new BrokerQueueCounts.Counts(0, 0))),
                "nothing consumes manila-data (or its leader is being elected, when RabbitMQ answers 0 and 0)");
        assertNoneCastAgain(redispatcher(f.repos(), queue -> Optional.empty()), "manila-data does not exist");
        int[] looks = {0};
        assertNoneCastAgain(redispatcher(f.repos(), queue -> Optional.of(new BrokerQueueCounts.Counts(
                looks[0]++ % 2 == 0 ? 0 : 1, 4))), "manila-data was never idle at two looks in a row");
        int[] tries = {0};
        QueuedJobRedispatcher failing = redispatcher(f.repos(), queue -> {
            if (tries[0]++ % 2 == 0) {
                throw new java.io.IOException("connection refused");
            }
            return Optional.of(new BrokerQueueCounts.Counts(0, 4));
        });
        for (int i = 0; i < 3; i++) {
            assertThrows(java.io.IOException.class, failing::redispatchOnce);
            assertEquals(0, failing.redispatchOnce(), "a look that failed breaks the row");
        }
        assertEquals(List.of(), unsent(f));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aJobWhoseCastIsUnsentOrRecentIsNotCastAgain(Engine engine) throws Exception {
        TestClock clock = new TestClock();
        Fixtures f = new Fixtures(dbs.fresh(engine), clock);
        Job unsent = queuedRestoreWithSentCast(f);
        Job recent = queuedRestoreWithSentCast(f);
        clock.advance(THRESHOLD.multipliedBy(3));
        f.repos().database().inTransaction(c -> f.repos().outbox().add(c, "openstack", DataRpc.TOPIC,
                new byte[] {'{', '}'}, unsent.requestId()));
        clock.advance(THRESHOLD.minusSeconds(5));
        f.repos().database().inTransaction(c -> f.repos().outbox().markSent(c, f.repos().outbox().add(c, "openstack",
                DataRpc.TOPIC, new byte[] {'{', '}'}, recent.requestId())));
        assertNoneCastAgain(redispatcher(f.repos(), IDLE),
                "one cast still waits in the outbox (the broker is away), the other went out 5 s ago");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void twoGatewaysCastEachLostJobAgainOnce(Engine engine) throws Exception {
        TestClock clock = new TestClock();
        Database db = dbs.fresh(engine);
        Fixtures f = new Fixtures(db, clock);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            jobs.add(queuedRestoreWithSentCast(f));
        }
        Job running = queuedRestoreWithSentCast(f);
        claim(f, running, "node-a");
        clock.advance(THRESHOLD.plusSeconds(1));
        List<QueuedJobRedispatcher> gateways = List.of(redispatcher(Repositories.over(db, clock), IDLE),
                redispatcher(Repositories.over(db, clock), IDLE));
        for (QueuedJobRedispatcher gateway : gateways) {
            assertEquals(0, gateway.redispatchOnce(), "a first look");
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (QueuedJobRedispatcher gateway : gateways) {
                Callable<Integer> race = () -> {
                    go.await();
                    return gateway.redispatchOnce();
                };
                results.add(pool.submit(race));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get(30, TimeUnit.SECONDS);
            }
            assertEquals(jobs.size(), total, "between them the gateways cast every lost job again once");
        } finally {
            pool.shutdownNow();
        }
        List<String> recast = unsent(f).stream().map(OutboxMessage::requestId).sorted().toList();
        assertEquals(jobs.stream().map(Job::requestId).sorted().toList(), recast,
                "one new cast per queued job, none for the running one");
    }
}
