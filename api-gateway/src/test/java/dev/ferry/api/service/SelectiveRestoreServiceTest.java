package dev.ferry.api.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ServiceSettings;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.jobs.ClaimService;
import dev.ferry.api.jobs.TestGrants;
import dev.ferry.api.jobs.TransitionApplier;
import dev.ferry.api.jobs.kinds.JobKinds;
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
import dev.ferry.messages.CopyCounters;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RestoreScope;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc.Transition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The restore service with a selection, on H2 and PostgreSQL (so migrations V10 and V11 run on both): the
 * {@link BackupPathCheck} seam, the selection kept with the job and carried by each grant with its attempt number,
 * and the attempts' counters.
 */
class SelectiveRestoreServiceTest extends OnBothDatabases {
    private static final RequestContext ALICE = RequestContext.of("alice", "p1", false, List.of("member", "reader"));

    /** A path check that records what it was asked and refuses {@code unknown}. */
    private static final class RecordingCheck implements BackupPathCheck {
        final List<List<String>> asked = new ArrayList<>();

        @Override
        public void requireHeld(RequestContext caller, Backup backup, List<String> paths) {
            asked.add(paths);
            if (paths.contains("unknown")) {
                throw ApiError.badRequest("Backup " + backup.id() + " holds no file or folder \"unknown\".");
            }
        }
    }

    private static RestoreService service(Repositories repos, BackupPathCheck check) {
        return new RestoreService(repos, new CastOutbox(repos.outbox(), "openstack", () -> { }), Policies.defaults(),
                new DataNodeCapabilities(repos.database(), repos.clock(), ServiceSettings.DEFAULTS),
                JobKinds.standard(repos), check);
    }

    private static List<Job> jobs(Fixtures f, Backup backup) {
        return f.repos().database().read(c -> f.repos().jobs().forBackup(c, JobKind.RESTORE, backup.id()));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theCheckSeesASelectiveRestoresPathsAndItsRefusalChangesNothing(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Backup backup = f.backup(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);
        RecordingCheck check = new RecordingCheck();
        RestoreScope scope = new RestoreScope(List.of("docs", "unknown"), "always", false);

        ApiError refused = assertThrows(ApiError.class,
                () -> service(f.repos(), check).restore(ALICE, backup.id(), new RestoreBody(null, scope)));

        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains("\"unknown\""), refused.getMessage());
        assertEquals(List.of(List.of("docs", "unknown")), check.asked);
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        assertEquals(ShareStatus.AVAILABLE, f.share(backup.shareId()).status());
        assertEquals(List.of(), jobs(f, backup));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void wholeRestoresAreNotCheckedUnlessTheyDeleteExtrasAndAnUnavailableBackupIsRefusedFirst(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        RecordingCheck check = new RecordingCheck();
        Backup whole = f.backup(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);
        service(f.repos(), check).restore(ALICE, whole.id(), RestoreBody.IN_PLACE);
        Backup wholeNever = f.backup(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);
        service(f.repos(), check).restore(ALICE, wholeNever.id(),
                new RestoreBody(null, new RestoreScope(List.of(), "never", true)));
        Backup creating = f.backup(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.CREATING);
        ApiError refused = assertThrows(ApiError.class, () -> service(f.repos(), check).restore(ALICE, creating.id(),
                new RestoreBody(null, new RestoreScope(List.of("docs"), "always", false))));
        assertEquals(400, refused.status());
        assertEquals(List.of(List.of()), check.asked, "a whole restore is not checked; one that deletes extras needs a "
                + "manifest, so it is; a restore refused by the other checks is not");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void eachGrantCarriesTheKeptSelectionAndItsAttemptNumber(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Backup backup = f.backup(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        RestoreScope scope = new RestoreScope(List.of("dossier/été.txt", "src"), "if-changed", true);
        RestoreService.Accepted accepted = service(f.repos(), BackupPathCheck.ACCEPT_ALL).restore(ALICE, backup.id(),
                new RestoreBody(target.id(), scope));
        Job job = f.job(accepted.jobId());

        ClaimService claims = new ClaimService(f.repos(), 30);
        StateRpc.Claim claim = new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), target.id(), "node-a");
        StateRpc.Grant first = claims.claim(claim, job.requestId());
        assertEquals(scope, first.restoreSelection());
        assertEquals(1, first.attempt());
        f.repos().database().inTransaction(c -> f.repos().jobs().release(c, job.id(), first.epoch(), "node-a"));
        StateRpc.Grant second = claims.claim(claim, job.requestId());
        assertEquals(scope, second.restoreSelection());
        assertEquals(2, second.attempt());
        assertTrue(second.resumed());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void attemptsKeepTheirCountersAndAnAttemptWithoutAReportHasNone(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Job job = f.job(JobKind.RESTORE, f.backup(share, 10, BackupStatus.RESTORING), share,
                JobStatus.RUNNING, 2, "node-b");
        CopyCounters big = new CopyCounters(20_000, 1, 5_000_000_000L, 4096, 0, 3);
        List<JobAttempt> attempts = f.repos().database().inTransaction(c -> {
            f.repos().attempts().open(c, job.id(), 1, "node-a");
            f.repos().attempts().close(c, job.id(), 1, JobAttempt.LEASE_EXPIRED);
            f.repos().attempts().open(c, job.id(), 2, "node-b");
            f.repos().attempts().keepCounters(c, job.id(), 2, big);
            return f.repos().attempts().forJob(c, job.id());
        });
        assertEquals(2, attempts.size());
        assertEquals(null, attempts.get(0).counters());
        assertEquals(big, attempts.get(1).counters());
        Integer count = f.repos().database().read(c -> f.repos().attempts().count(c, job.id()));
        assertEquals(2, count);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aDamagedRestoreAndADroppedAttributeNoticeLeaveTheirMessagesAndCounters(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share damagedTarget = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Job damaged = f.job(JobKind.RESTORE, f.backup(source, 10, BackupStatus.RESTORING), damagedTarget,
                JobStatus.RUNNING, 1, "node-a");
        Share created = f.share("p1", 10, ShareStatus.CREATING);
        Backup origin = f.backup(source, 10, BackupStatus.RESTORING);
        Job creation = f.shareJob(JobKind.CREATE_SHARE, origin, created, null, JobStatus.RUNNING, 1, "node-a");
        TransitionApplier applier = new TransitionApplier(f.repos());
        String first = "dossier/été – rapport.txt";

        applier.apply(TestGrants.signed(f.repos(), Transition.failed(damaged.id(), 1, "node-a",
                FailureDetail.DAMAGED_FILES, "1 file was not restored; the first is \"" + first + "\".", true)
                .withCounters(new CopyCounters(4, 0, 40, 0, 1, 0))));
        applier.apply(TestGrants.signed(f.repos(), Transition.succeeded(creation.id(), 1, "node-a")
                .withCounters(new CopyCounters(2, 0, 20, 0, 0, 3))
                .withNotice(FailureDetail.METADATA_DROPPED, "3 extended attributes or ACLs were left out; the "
                        + "first: a (system.posix_acl_access).")));

        assertEquals(ShareStatus.BACKUP_RESTORING_ERROR, f.share(damagedTarget.id()).status());
        assertEquals(ShareStatus.AVAILABLE, f.share(created.id()).status());
        List<UserMessage> messages = f.repos().database().read(c -> f.repos().messages().list(c,
                UserMessageRepository.Filter.all()));
        UserMessage onDamaged = messages.stream().filter(m -> damagedTarget.id().equals(m.resourceId())).findFirst()
                .orElseThrow();
        assertEquals("912", onDamaged.detailId());
        assertEquals("ERROR", onDamaged.messageLevel());
        assertTrue(onDamaged.detailText().endsWith("1 file was not restored; the first is \"" + first + "\"."),
                onDamaged.detailText());
        UserMessage onCreated = messages.stream().filter(m -> created.id().equals(m.resourceId())).findFirst()
                .orElseThrow();
        assertEquals("914", onCreated.detailId());
        assertEquals("WARNING", onCreated.messageLevel());
        assertTrue(onCreated.detailText().endsWith("the first: a (system.posix_acl_access)."), onCreated.detailText());
        assertEquals(new CopyCounters(4, 0, 40, 0, 1, 0), f.repos().database().read(c -> f.repos().attempts()
                .forJob(c, damaged.id())).get(0).counters());
        assertEquals(new CopyCounters(2, 0, 20, 0, 0, 3), f.repos().database().read(c -> f.repos().attempts()
                .forJob(c, creation.id())).get(0).counters());
    }
}
