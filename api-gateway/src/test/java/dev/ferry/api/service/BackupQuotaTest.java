package dev.ferry.api.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.api.ApiLimits;
import dev.ferry.api.db.BackupRepository;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.jobs.ClaimService;
import dev.ferry.api.jobs.TransitionApplier;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc.Transition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Manila §1.5 create step 9: the backups and backup_gigabytes quotas, also under concurrent creates. */
class BackupQuotaTest extends OnBothDatabases {
    private static final RequestContext ALICE = RequestContext.of("alice", "p1", false, List.of("member", "reader"));

    private static BackupCreationService service(Repositories repos, ApiLimits limits) {
        return new BackupCreationService(repos, new CastOutbox(repos.outbox(), "openstack", () -> { }), limits,
                Policies.defaults());
    }

    private static BackupCreationService.CreateRequest of(Share share) {
        return new BackupCreationService.CreateRequest(share.id(), null, null, Map.of());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theBackupCountQuotaCountsEveryStatus(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        f.backup(f.share("p1", 1, ShareStatus.AVAILABLE), 1, BackupStatus.ERROR);
        f.backup(f.share("p1", 1, ShareStatus.AVAILABLE), 1, BackupStatus.DELETING);
        f.backup(f.share("p2", 1, ShareStatus.AVAILABLE), 1, BackupStatus.AVAILABLE);
        BackupCreationService creation = service(f.repos(), new ApiLimits(3, 1000, 60));
        creation.create(ALICE, of(f.share("p1", 1, ShareStatus.AVAILABLE)));
        Share refused = f.share("p1", 1, ShareStatus.AVAILABLE);
        ApiError e = assertThrows(ApiError.class, () -> creation.create(ALICE, of(refused)));
        assertEquals(413, e.status());
        assertEquals("BackupLimitExceeded: Maximum number of backups allowed (3) exceeded. Delete backups you no longer need, or ask an "
                + "administrator to raise FERRY_QUOTA_BACKUPS.", e.getMessage());
        assertEquals(ShareStatus.AVAILABLE, f.share(refused.id()).status());
        service(f.repos(), new ApiLimits(-1, -1, 60)).create(ALICE, of(refused));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSucceededDeleteFreesTheQuotaButAPendingOrFailedOneDoesNot(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Repositories repos = f.repos();
        BackupCreationService creation = service(repos, new ApiLimits(2, 20, 60));
        BackupDeletionService deletion = new BackupDeletionService(repos,
                new CastOutbox(repos.outbox(), "openstack", () -> { }), Policies.defaults());
        Backup first = creation.create(ALICE, of(f.share("p1", 10, ShareStatus.AVAILABLE)));
        Backup second = creation.create(ALICE, of(f.share("p1", 10, ShareStatus.AVAILABLE)));
        repos.database().inTransaction(c -> repos.backups().finishCreate(c, first.id(), "node-a")
                && repos.backups().failCreate(c, second.id(), "no space"));
        Share third = f.share("p1", 10, ShareStatus.AVAILABLE);
        assertEquals(413, assertThrows(ApiError.class, () -> creation.create(ALICE, of(third))).status());

        String firstJob = deletion.delete(ALICE, first.id());
        String secondJob = deletion.delete(ALICE, second.id());
        assertEquals(400, assertThrows(ApiError.class, () -> deletion.delete(ALICE, first.id())).status(),
                "already deleting");
        assertEquals(413, assertThrows(ApiError.class, () -> creation.create(ALICE, of(third))).status(),
                "a deleting backup still counts");
        ClaimService claims = new ClaimService(repos, 30);
        TransitionApplier transitions = new TransitionApplier(repos);
        StateRpc.Grant failing = claims.claim(new StateRpc.Claim(JobKind.DELETE_BACKUP, f.backup(second.id()).toRow(),
                null, "node-a"), f.job(secondJob).requestId());
        transitions.apply(Transition.failed(failing.jobId(), failing.epoch(), "node-a", FailureDetail.MOUNT_FAILED,
                "mount failed", false).withSecret(failing.secret()));
        assertEquals(BackupStatus.ERROR_DELETING, f.backup(second.id()).status());
        assertEquals(413, assertThrows(ApiError.class, () -> creation.create(ALICE, of(third))).status(),
                "an error_deleting backup still counts");

        StateRpc.Grant grant = claims.claim(new StateRpc.Claim(JobKind.DELETE_BACKUP, f.backup(first.id()).toRow(),
                null, "node-a"), f.job(firstJob).requestId());
        assertEquals(TransitionApplier.Result.APPLIED,
                transitions.apply(Transition.succeeded(grant.jobId(), grant.epoch(), "node-a").withSecret(grant.secret())));

        assertEquals(BackupStatus.CREATING, creation.create(ALICE, of(third)).status());
        assertEquals(new BackupRepository.Usage(2, 20), repos.database().read(c -> repos.backups().usage(c, "p1",
                EnumSet.complementOf(EnumSet.of(BackupStatus.DELETED)))));
        ApiError gone = assertThrows(ApiError.class, () -> deletion.delete(ALICE, first.id()));
        assertEquals(404, gone.status());
        assertEquals("No backup exists with ID " + first.id() + ".", gone.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theGigabyteQuotaCountsSizes(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        BackupCreationService creation = service(f.repos(), new ApiLimits(10, 25, 60));
        creation.create(ALICE, of(f.share("p1", 10, ShareStatus.AVAILABLE)));
        creation.create(ALICE, of(f.share("p1", 10, ShareStatus.AVAILABLE)));
        ApiError e = assertThrows(ApiError.class, () -> creation.create(ALICE, of(f.share("p1", 6,
                ShareStatus.AVAILABLE))));
        assertEquals(413, e.status());
        assertEquals("ShareBackupSizeExceedsAvailableQuota: Requested backup exceeds allowed Backup gigabytes quota. Requested 6G, quota is 25G and 20G has "
                + "been consumed. Delete backups you no longer need, or ask an administrator to raise "
                + "FERRY_QUOTA_BACKUP_GIGABYTES.", e.getMessage());
        creation.create(ALICE, of(f.share("p1", 5, ShareStatus.AVAILABLE)));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void concurrentCreatesNeverOvershootTheQuota(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Repositories repos = f.repos();
        BackupCreationService creation = service(repos, new ApiLimits(5, 1000, 60));
        List<Share> shares = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            shares.add(f.share("p1", 1, ShareStatus.AVAILABLE));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(shares.size());
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (Share share : shares) {
                Callable<Integer> attempt = () -> {
                    start.await();
                    try {
                        creation.create(ALICE, of(share));
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
            assertEquals(5, statuses.stream().filter(s -> s == 202).count(), statuses.toString());
            assertEquals(19, statuses.stream().filter(s -> s == 413).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        BackupRepository.Usage usage = repos.database().read(c -> repos.backups().usage(c, "p1",
                EnumSet.allOf(BackupStatus.class)));
        assertEquals(5, usage.backups());
    }
}
