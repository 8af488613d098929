package dev.ferry.api.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
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

class RestoreConcurrencyTest extends OnBothDatabases {

    @ParameterizedTest
    @EnumSource(Engine.class)
    void fiftyConcurrentRestoresOfOneBackupAcceptExactlyOne(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Repositories repos = f.repos();
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 10, BackupStatus.AVAILABLE);
        RestoreService restores = new RestoreService(repos, new CastOutbox(repos.outbox(), "openstack", () -> { }),
                Policies.defaults());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                RequestContext caller = RequestContext.of("user" + i, "p1", false, List.of("member", "reader"));
                Callable<Integer> attempt = () -> {
                    start.await();
                    try {
                        restores.restore(caller, backup.id(), target.id());
                        return 202;
                    } catch (ApiError e) {
                        return e.status();
                    }
                };
                answers.add(pool.submit(attempt));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, statuses.stream().filter(s -> s == 202).count(), statuses.toString());
            assertEquals(49, statuses.stream().filter(s -> s == 400).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, repos.database().read(c -> repos.jobs().forBackup(c, JobKind.RESTORE, backup.id())).size());
        assertEquals(1, repos.database().read(c -> repos.outbox().unsent(c, 100)).size());
        assertEquals(BackupStatus.RESTORING, f.backup(backup.id()).status());
        assertEquals(ShareStatus.BACKUP_RESTORING, f.share(target.id()).status());
    }
}
