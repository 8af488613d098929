package dev.ferry.api.service;

import dev.ferry.api.jobs.TestGrants;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.jobs.TransitionApplier;
import dev.ferry.api.jobs.TransitionApplier.Result;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StatusRpc.Transition;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shares created, changed and removed (the subdir backend and managed shares), on H2 and PostgreSQL: what
 * the services accept and refuse, the job and cast they leave, and what each job outcome does to the share.
 */
class ShareLifecycleTest extends OnBothDatabases {
    private static final String BASE = "/exports/base";
    private static final RequestContext ALICE = RequestContext.of("alice", "p1", false, List.of("member", "reader"));
    private static final RequestContext BOB = RequestContext.of("bob", "p2", false, List.of("member", "reader"));
    private static final RequestContext ADMIN = RequestContext.of("admin", "ops", true,
            List.of("admin", "member", "reader"));

    private record World(Fixtures f, Repositories repos, ShareCreationService creation, ShareChanges changes,
                         TransitionApplier applier) {
        Optional<Share> share(String id) {
            return repos.database().read(c -> repos.shares().find(c, id));
        }

        Job onlyActiveJob(String shareId) {
            List<Job> jobs = repos.database().read(c -> repos.jobs().activeForShare(c, shareId));
            assertEquals(1, jobs.size(), jobs.toString());
            return jobs.get(0);
        }

        RpcRequest castOf(String requestId) throws Exception {
            var sent = repos.database().read(c -> repos.outbox().forRequest(c, requestId));
            assertEquals(1, sent.size());
            return RpcRequest.decode("application/json", sent.get(0).body());
        }

        List<UserMessage> messagesAbout(String shareId) {
            return repos.database().read(c -> repos.messages().list(c, UserMessageRepository.Filter.all())).stream()
                    .filter(m -> m.resourceId().equals(shareId)).toList();
        }

        /** Claims the job as node-a (queued → running at epoch 1) so transitions apply. */
        Job claimed(Job job) {
            repos.database().inTransaction(c -> repos.jobs().claim(c, job.id(), "node-a", null));
            return f.job(job.id());
        }
    }

    /** Alice with a request id of her own, to find the cast this request wrote. */
    private static RequestContext alice() {
        return RequestContext.of("alice", "p1", false, List.of("member", "reader"));
    }

    private World world(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Repositories repos = f.repos();
        CastOutbox outbox = new CastOutbox(repos.outbox(), "openstack", () -> { });
        return new World(f, repos, new ShareCreationService(repos, outbox, BASE, Policies.defaults()),
                new ShareChanges(repos, outbox, Policies.defaults()),
                new TransitionApplier(repos));
    }

    private static ShareCreationService.CreateRequest empty(int size) {
        return new ShareCreationService.CreateRequest("nfs", size, "scratch", null, false, null);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSubdirShareIsCreatingUntilTheDataNodeMadeItsFolder(Engine engine) throws Exception {
        World w = world(engine);
        RequestContext caller = alice();
        Share share = w.creation().create(caller, empty(3));
        assertEquals(ShareStatus.CREATING, share.status());
        assertEquals(BASE + "/" + share.id(), share.exportPath());
        assertEquals("NFS", share.protocol());
        Job job = w.onlyActiveJob(share.id());
        assertEquals(JobKind.CREATE_SHARE, job.kind());
        assertNull(job.backupId());
        assertEquals(new DataRpc.CreateShare(share.id(), null), DataRpc.parse(w.castOf(caller.requestId())));

        Job running = w.claimed(job);
        assertEquals(Result.APPLIED, w.applier().apply(TestGrants.signed(w.repos(), Transition.succeeded(running.id(), running.epoch(), "node-a"))));
        assertEquals(ShareStatus.AVAILABLE, w.share(share.id()).orElseThrow().status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aShareFromABackupTakesItsSizeAndIsAvailableOnlyWhenTheRestoreIsDone(Engine engine) throws Exception {
        World w = world(engine);
        Share source = w.f().share("p1", 4, ShareStatus.AVAILABLE);
        Backup backup = w.f().backup(source, 4, BackupStatus.AVAILABLE);
        RequestContext caller = alice();
        Share share = w.creation().create(caller,
                new ShareCreationService.CreateRequest("NFS", null, "copy", null, false, backup.id()));
        assertEquals(4, share.size());
        assertEquals(backup.id(), share.sourceBackupId());
        assertEquals(BackupStatus.RESTORING, w.f().backup(backup.id()).status());
        Job job = w.claimed(w.onlyActiveJob(share.id()));
        assertEquals(backup.id(), job.backupId());
        DataRpc.CreateShare cast = (DataRpc.CreateShare) DataRpc.parse(w.castOf(caller.requestId()));
        assertEquals(backup.id(), cast.backup().id());

        w.applier().apply(TestGrants.signed(w.repos(), Transition.progress(job.id(), job.epoch(), "node-a", 60)));
        assertEquals("60", w.f().backup(backup.id()).restoreProgress());
        assertEquals(ShareStatus.CREATING, w.share(share.id()).orElseThrow().status());
        w.applier().apply(TestGrants.signed(w.repos(), Transition.succeeded(job.id(), job.epoch(), "node-a")));
        assertEquals(ShareStatus.AVAILABLE, w.share(share.id()).orElseThrow().status());
        assertEquals(BackupStatus.AVAILABLE, w.f().backup(backup.id()).status());
        assertEquals("100", w.f().backup(backup.id()).restoreProgress());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFailedCreateLeavesTheShareInErrorWithAMessageAndTheBackupAvailable(Engine engine) {
        World w = world(engine);
        Share source = w.f().share("p1", 2, ShareStatus.AVAILABLE);
        Backup backup = w.f().backup(source, 2, BackupStatus.AVAILABLE);
        Share share = w.creation().create(alice(),
                new ShareCreationService.CreateRequest("NFS", 5, null, null, false, backup.id()));
        Job job = w.claimed(w.onlyActiveJob(share.id()));
        w.applier().apply(TestGrants.signed(w.repos(), Transition.failed(job.id(), job.epoch(), "node-a", FailureDetail.BACKUP_DATA_MISSING,
                "no folder", true)));
        assertEquals(ShareStatus.ERROR, w.share(share.id()).orElseThrow().status());
        assertEquals(BackupStatus.AVAILABLE, w.f().backup(backup.id()).status());
        List<UserMessage> messages = w.messagesAbout(share.id());
        assertEquals(1, messages.size());
        assertEquals("002", messages.get(0).actionId());
        assertEquals("902", messages.get(0).detailId());
        assertEquals("p1", messages.get(0).projectId());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void createRefusesWhatItCannotDo(Engine engine) {
        World w = world(engine);
        Share source = w.f().share("p1", 4, ShareStatus.AVAILABLE);
        Backup backup = w.f().backup(source, 4, BackupStatus.AVAILABLE);
        ApiError small = assertThrows(ApiError.class, () -> w.creation().create(ALICE,
                new ShareCreationService.CreateRequest("NFS", 3, null, null, false, backup.id())));
        assertEquals(400, small.status());
        assertTrue(small.getMessage().contains("too small to restore backup of size 4"), small.getMessage());
        assertEquals(404, assertThrows(ApiError.class, () -> w.creation().create(BOB,
                new ShareCreationService.CreateRequest("NFS", null, null, null, false, backup.id()))).status());
        assertEquals(400, assertThrows(ApiError.class, () -> w.creation().create(ALICE,
                new ShareCreationService.CreateRequest("CIFS", 1, null, null, false, null))).status());
        assertEquals(400, assertThrows(ApiError.class, () -> w.creation().create(ALICE,
                new ShareCreationService.CreateRequest("NFS", null, null, null, false, null))).status());
        ShareCreationService none = new ShareCreationService(w.repos(),
                new CastOutbox(w.repos().outbox(), "openstack", () -> { }), null, Policies.defaults());
        ApiError noBackend = assertThrows(ApiError.class, () -> none.create(ALICE, empty(1)));
        assertTrue(noBackend.getMessage().contains("FERRY_SHARE_BASE_EXPORT"), noBackend.getMessage());
        w.f().backup(source, 1, BackupStatus.CREATING);
        assertEquals(BackupStatus.AVAILABLE, w.f().backup(backup.id()).status(), "nothing changed");
        assertEquals(1, w.repos().database().read(c -> w.repos().shares().list(c,
                dev.ferry.api.db.ShareRepository.Filter.all())).size(), "no share was added");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void deletingAManagedShareForgetsItAndASubdirShareGoesThroughADataNode(Engine engine) throws Exception {
        World w = world(engine);
        Share managed = w.f().share("p1", 1, ShareStatus.AVAILABLE);
        w.changes().delete(ALICE, managed.id());
        assertTrue(w.share(managed.id()).isEmpty());

        Share subdir = w.f().subdirShare("p1", 1, ShareStatus.ERROR);
        RequestContext caller = alice();
        w.changes().delete(caller, subdir.id());
        assertEquals(ShareStatus.DELETING, w.share(subdir.id()).orElseThrow().status());
        assertEquals(new DataRpc.DeleteShare(subdir.id()), DataRpc.parse(w.castOf(caller.requestId())));
        Job job = w.claimed(w.onlyActiveJob(subdir.id()));
        w.applier().apply(TestGrants.signed(w.repos(), Transition.succeeded(job.id(), job.epoch(), "node-a")));
        assertTrue(w.share(subdir.id()).isEmpty());

        Share failing = w.f().subdirShare("p1", 1, ShareStatus.AVAILABLE);
        w.changes().delete(ALICE, failing.id());
        Job second = w.claimed(w.onlyActiveJob(failing.id()));
        w.applier().apply(TestGrants.signed(w.repos(), Transition.failed(second.id(), second.epoch(), "node-a", FailureDetail.SHARE_FOLDER_FAILED,
                "permission denied", false)));
        assertEquals(ShareStatus.ERROR_DELETING, w.share(failing.id()).orElseThrow().status());
        assertEquals("007", w.messagesAbout(failing.id()).get(0).actionId());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aShareWithBackupsOrBusyRefusesDeleteUnmanageExtendAndShrink(Engine engine) {
        World w = world(engine);
        Share withBackup = w.f().share("p1", 4, ShareStatus.AVAILABLE);
        w.f().backup(withBackup, 4, BackupStatus.AVAILABLE);
        ApiError dependent = assertThrows(ApiError.class, () -> w.changes().delete(ALICE, withBackup.id()));
        assertEquals(400, dependent.status());
        assertTrue(dependent.getMessage().contains("Share still has 1 dependent backups"), dependent.getMessage());
        assertEquals(403, assertThrows(ApiError.class, () -> w.changes().unmanage(ADMIN, withBackup.id())).status());

        for (ShareStatus busy : List.of(ShareStatus.BACKUP_RESTORING, ShareStatus.BACKUP_CREATING)) {
            Share share = w.f().share("p1", 4, busy);
            ApiError delete = assertThrows(ApiError.class, () -> w.changes().delete(ALICE, share.id()));
            assertEquals(400, delete.status());
            assertTrue(delete.getMessage().contains("retry when it is available"), delete.getMessage());
            ApiError extend = assertThrows(ApiError.class, () -> w.changes().extend(ALICE, share.id(), 5));
            assertEquals(400, extend.status());
            assertTrue(extend.getMessage().contains("must be 'available' to extend, but current status is: "
                    + busy.wire()), extend.getMessage());
            assertEquals(400, assertThrows(ApiError.class, () -> w.changes().shrink(ALICE, share.id(), 2)).status());
            assertEquals(403, assertThrows(ApiError.class, () -> w.changes().unmanage(ADMIN, share.id())).status());
            Share unchanged = w.share(share.id()).orElseThrow();
            assertEquals(busy, unchanged.status());
            assertEquals(4, unchanged.size());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void extendAndShrinkOfAManagedShareAreRecordedAtOnce(Engine engine) {
        World w = world(engine);
        Share share = w.f().share("p1", 4, ShareStatus.AVAILABLE);
        w.changes().extend(ALICE, share.id(), 10);
        assertEquals(10, w.share(share.id()).orElseThrow().size());
        w.changes().shrink(ALICE, share.id(), 2);
        assertEquals(2, w.share(share.id()).orElseThrow().size());
        assertEquals(400, assertThrows(ApiError.class, () -> w.changes().extend(ALICE, share.id(), 2)).status());
        assertEquals(400, assertThrows(ApiError.class, () -> w.changes().shrink(ALICE, share.id(), 0)).status());
        assertEquals(404, assertThrows(ApiError.class, () -> w.changes().extend(BOB, share.id(), 20)).status());
        Share bobsPublic = w.f().share("p2", 4, ShareStatus.AVAILABLE, "NFS", true);
        assertEquals(403, assertThrows(ApiError.class, () -> w.changes().extend(ALICE, bobsPublic.id(), 5)).status());
        assertEquals(403, assertThrows(ApiError.class, () -> w.changes().delete(ALICE, bobsPublic.id())).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSubdirShareShrinksOnlyWhenTheDataNodeFoundItsDataFits(Engine engine) throws Exception {
        World w = world(engine);
        Share share = w.f().subdirShare("p1", 8, ShareStatus.AVAILABLE);
        RequestContext caller = alice();
        w.changes().shrink(caller, share.id(), 2);
        assertEquals(ShareStatus.SHRINKING, w.share(share.id()).orElseThrow().status());
        assertEquals(8, w.share(share.id()).orElseThrow().size(), "the old size stands until the node agreed");
        assertEquals(new DataRpc.ShrinkShare(share.id(), 2), DataRpc.parse(w.castOf(caller.requestId())));
        Job refused = w.claimed(w.onlyActiveJob(share.id()));
        assertEquals(2, refused.newSize());
        w.applier().apply(TestGrants.signed(w.repos(), Transition.failed(refused.id(), refused.epoch(), "node-a",
                FailureDetail.SHRINK_BELOW_USED_SPACE, "uses 5 GiB", false)));
        Share after = w.share(share.id()).orElseThrow();
        assertEquals(ShareStatus.AVAILABLE, after.status());
        assertEquals(8, after.size());
        UserMessage message = w.messagesAbout(share.id()).get(0);
        assertEquals("009", message.actionId());
        assertEquals("906", message.detailId());

        w.changes().shrink(ALICE, share.id(), 6);
        Job accepted = w.claimed(w.onlyActiveJob(share.id()));
        w.applier().apply(TestGrants.signed(w.repos(), Transition.succeeded(accepted.id(), accepted.epoch(), "node-a")));
        assertEquals(6, w.share(share.id()).orElseThrow().size());
        assertEquals(ShareStatus.AVAILABLE, w.share(share.id()).orElseThrow().status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void onlyAnAdminUnmanagesOrResetsAShare(Engine engine) {
        World w = world(engine);
        Share share = w.f().share("p1", 1, ShareStatus.BACKUP_RESTORING_ERROR);
        assertEquals(403, assertThrows(ApiError.class,
                () -> w.changes().resetStatus(ALICE, share.id(), "available")).status());
        assertEquals(400, assertThrows(ApiError.class,
                () -> w.changes().resetStatus(ADMIN, share.id(), "sleeping")).status());
        w.changes().resetStatus(ADMIN, share.id(), "available");
        assertEquals(ShareStatus.AVAILABLE, w.share(share.id()).orElseThrow().status());
        assertEquals(403, assertThrows(ApiError.class, () -> w.changes().unmanage(ALICE, share.id())).status());
        w.changes().unmanage(ADMIN, share.id());
        assertTrue(w.share(share.id()).isEmpty());
    }
}
