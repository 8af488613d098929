package dev.ferry.api.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.JobRepository;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobAttempt;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.api.testing.TestClock;
import dev.ferry.messages.JobKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
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
import org.slf4j.LoggerFactory;

/**
 * Retention on H2 and PostgreSQL, with a clock the test moves: finished jobs (with their attempts) and sent outbox
 * rows older than the retention, and expired user messages, are deleted; unfinished jobs, recent rows, unsent outbox
 * rows and the jobs a busy backup or share still needs stay; a backlog larger than a batch goes in several batches.
 */
class RetentionPurgerTest extends OnBothDatabases {
    private static final Duration RETENTION = Duration.ofDays(30);

    private record Setup(Fixtures f, TestClock clock, Repositories repos, Database db) {
    }

    private Setup setup(Engine engine) {
        Database db = dbs.fresh(engine);
        TestClock clock = new TestClock();
        Fixtures f = new Fixtures(db, clock);
        return new Setup(f, clock, f.repos(), db);
    }

    private static RetentionPurger purger(Repositories repos, int batch) {
        return new RetentionPurger(repos, RETENTION, Duration.ofHours(1), batch);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void deletesWhatOutlivedItsRetentionAndKeepsTheRest(Engine engine) {
        Setup s = setup(engine);
        Share share = s.f.share("p1", 1, ShareStatus.AVAILABLE);
        Backup backup = s.f.backup(share, 1, BackupStatus.AVAILABLE);
        List<Job> oldFinished = new ArrayList<>();
        for (JobStatus status : List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)) {
            oldFinished.add(withAttempts(s, s.f.job(JobKind.RESTORE, backup, share, status, 2, "node-a"), 2));
        }
        Job oldQueued = withAttempts(s, s.f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 1, null), 1);
        Job oldRunning = withAttempts(s, s.f.job(JobKind.CREATE_BACKUP, backup, share, JobStatus.RUNNING, 1, "node-a",
                Timestamps.now(s.clock).plusSeconds(30)), 1);
        long oldSent = outbox(s, true);
        long oldUnsent = outbox(s, false);
        UserMessage expiring = message(s, Duration.ofDays(1));

        s.clock.advance(RETENTION.plusDays(1));
        Job recentFinished = withAttempts(s, s.f.job(JobKind.RESTORE, backup, share, JobStatus.SUCCEEDED, 1,
                "node-b"), 1);
        long recentSent = outbox(s, true);
        UserMessage current = message(s, Duration.ofDays(1));

        RetentionPurger.Purged purged = purger(s.repos, RetentionPurger.DEFAULT_BATCH).purgeOnce();

        assertEquals(new RetentionPurger.Purged(3, 6, 1, 1), purged);
        for (Job job : oldFinished) {
            assertTrue(s.db.read(c -> s.repos.jobs().find(c, job.id())).isEmpty(), job.status() + " job is gone");
            assertEquals(List.of(), s.db.read(c -> s.repos.attempts().forJob(c, job.id())), "its attempts too");
        }
        for (Job job : List.of(oldQueued, oldRunning, recentFinished)) {
            assertEquals(job.status(), s.f.job(job.id()).status(), "an unfinished or recent job stays");
            assertEquals(1, s.db.read(c -> s.repos.attempts().forJob(c, job.id())).size(), "with its attempts");
        }
        assertEquals(List.of(oldUnsent, recentSent), outboxIds(s), "unsent and recently sent outbox rows stay");
        assertTrue(s.db.read(c -> s.repos.messages().find(c, expiring.id())).isEmpty(), "an expired message is gone");
        assertTrue(s.db.read(c -> s.repos.messages().find(c, current.id())).isPresent(), "a current one stays");
        assertTrue(!outboxIds(s).contains(oldSent));

        assertEquals(new RetentionPurger.Purged(0, 0, 0, 0), purger(s.repos, RetentionPurger.DEFAULT_BATCH).purgeOnce(),
                "a second run finds nothing");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void keepsTheJobsOfABackupOrShareThatStillNeedsThem(Engine engine) {
        Setup s = setup(engine);
        Share restoredInto = s.f.share("p1", 1, ShareStatus.BACKUP_RESTORING_ERROR);
        Share source = s.f.share("p1", 1, ShareStatus.AVAILABLE);
        Backup creating = s.f.backup(source, 1, BackupStatus.CREATING);
        Backup available = s.f.backup(source, 1, BackupStatus.AVAILABLE);
        Job failedRestore = s.f.job(JobKind.RESTORE, available, restoredInto, JobStatus.FAILED, 1, "node-a");
        Job finishedCreate = s.f.job(JobKind.CREATE_BACKUP, creating, source, JobStatus.FAILED, 1, "node-a");
        Job unneeded = s.f.job(JobKind.RESTORE, available, source, JobStatus.SUCCEEDED, 1, "node-a");
        s.clock.advance(RETENTION.plusDays(1));

        assertEquals(1, purger(s.repos, RetentionPurger.DEFAULT_BATCH).purgeOnce().jobs());
        assertTrue(s.db.read(c -> s.repos.jobs().find(c, unneeded.id())).isEmpty());
        assertEquals(JobStatus.FAILED, s.f.job(failedRestore.id()).status(),
                "kept while its target awaits an admin's reset_status");
        assertEquals(JobStatus.FAILED, s.f.job(finishedCreate.id()).status(), "kept while its backup is creating");

        s.db.inTransaction(c -> s.repos.shares().resetStatus(c, restoredInto.id(), ShareStatus.AVAILABLE));
        assertEquals(1, purger(s.repos, RetentionPurger.DEFAULT_BATCH).purgeOnce().jobs(), "reset: no longer needed");
        assertTrue(s.db.read(c -> s.repos.jobs().find(c, failedRestore.id())).isEmpty());
        assertEquals(JobStatus.FAILED, s.f.job(finishedCreate.id()).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void deletesABacklogLargerThanABatchInSeveralBatches(Engine engine) {
        Setup s = setup(engine);
        Share share = s.f.share("p1", 1, ShareStatus.AVAILABLE);
        Backup backup = s.f.backup(share, 1, BackupStatus.AVAILABLE);
        for (int i = 0; i < 25; i++) {
            withAttempts(s, s.f.job(JobKind.RESTORE, backup, share, JobStatus.SUCCEEDED, 2, "node-a"), 2);
            outbox(s, true);
            message(s, Duration.ofDays(1));
        }
        Job queued = s.f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
        long unsent = outbox(s, false);
        s.clock.advance(RETENTION.plusDays(1));

        assertEquals(new RetentionPurger.Purged(25, 50, 25, 25), purger(s.repos, 10).purgeOnce());
        assertEquals(List.of(queued.id()), s.db.read(c -> s.repos.jobs().list(c,
                new JobRepository.Filter(null, null, 100))).stream().map(Job::id).toList());
        assertEquals(List.of(unsent), outboxIds(s));
        assertEquals(0, countMessages(s));
    }

    /** Started, it runs by itself and logs one INFO line with what it deleted; a run that deletes nothing is silent. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void runsByItselfAndLogsOneLinePerRunThatDeletedSomething(Engine engine) {
        Setup s = setup(engine);
        Share share = s.f.share("p1", 1, ShareStatus.AVAILABLE);
        Backup backup = s.f.backup(share, 1, BackupStatus.AVAILABLE);
        Job old = withAttempts(s, s.f.job(JobKind.RESTORE, backup, share, JobStatus.FAILED, 1, "node-a"), 1);
        outbox(s, true);
        message(s, Duration.ofDays(1));
        s.clock.advance(RETENTION.plusDays(1));
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(RetentionPurger.class);
        log.start();
        logger.addAppender(log);
        try (RetentionPurger purger = new RetentionPurger(s.repos, RETENTION, Duration.ofMillis(100), 1000).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> s.db.read(c -> s.repos.jobs().find(c, old.id()))
                    .isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> deletions(log).size() == 1);
            await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5)).until(() -> deletions(log).size() == 1);
        } finally {
            logger.detachAppender(log);
        }
        assertEquals(List.of("retention: deleted 1 jobs that ended more than 30 days ago (with 1 attempts), 1 outbox "
                + "rows sent before then, and 1 expired user messages"), deletions(log));
    }

    private static List<String> deletions(ListAppender<ILoggingEvent> log) {
        return List.copyOf(log.list).stream().filter(e -> e.getLevel() == Level.INFO)
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("retention: deleted")).toList();
    }

    /** Several api-gateways on one PostgreSQL database purge at once: each row is deleted once, and all are. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "POSTGRESQL")
    void severalPurgersAtOnceDeleteEveryRowOnce(Engine engine) throws Exception {
        Setup s = setup(engine);
        Share share = s.f.share("p1", 1, ShareStatus.AVAILABLE);
        Backup backup = s.f.backup(share, 1, BackupStatus.AVAILABLE);
        for (int i = 0; i < 120; i++) {
            withAttempts(s, s.f.job(JobKind.RESTORE, backup, share, JobStatus.SUCCEEDED, 1, "node-a"), 1);
        }
        s.clock.advance(RETENTION.plusDays(1));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<RetentionPurger.Purged>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Callable<RetentionPurger.Purged> run = () -> {
                    go.await();
                    return purger(s.repos, 7).purgeOnce();
                };
                runs.add(pool.submit(run));
            }
            go.countDown();
            int jobs = 0;
            int attempts = 0;
            for (Future<RetentionPurger.Purged> run : runs) {
                RetentionPurger.Purged purged = run.get(60, TimeUnit.SECONDS);
                jobs += purged.jobs();
                attempts += purged.attempts();
            }
            assertEquals(120, jobs);
            assertEquals(120, attempts);
            assertEquals(List.of(), s.db.read(c -> s.repos.jobs().list(c,
                    new JobRepository.Filter(null, null, 10))));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Records {@code count} attempts of the job (epochs 1..count), all but a running job's last one ended. */
    private static Job withAttempts(Setup s, Job job, int count) {
        s.db.inTransaction(c -> {
            for (int epoch = 1; epoch <= count; epoch++) {
                s.repos.attempts().open(c, job.id(), epoch, "node-a");
                if (job.status() != JobStatus.RUNNING || epoch < count) {
                    s.repos.attempts().close(c, job.id(), epoch, JobAttempt.SUCCEEDED);
                }
            }
            return null;
        });
        return job;
    }

    private static long outbox(Setup s, boolean sent) {
        return s.db.inTransaction(c -> {
            long id = s.repos.outbox().add(c, "openstack", "manila-data", "{}".getBytes(StandardCharsets.UTF_8),
                    "req-1");
            if (sent) {
                s.repos.outbox().markSent(c, id);
            }
            return id;
        });
    }

    private static List<Long> outboxIds(Setup s) {
        return s.db.read(c -> {
            List<Long> ids = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT id FROM outbox ORDER BY id"); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
    }

    private static int countMessages(Setup s) {
        return s.db.read(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM user_messages"); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** A message created now that expires after {@code ttl}. */
    private static UserMessage message(Setup s, Duration ttl) {
        LocalDateTime now = Timestamps.now(s.clock);
        return s.f.message("p1", "share-1", "010", "001", "req-1", now, now.plus(ttl));
    }
}
