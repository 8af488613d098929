package dev.ferry.api.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ServiceSettings;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.jobs.ClaimService;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobAttempt;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.messages.CopyCounters;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RestoreScope;
import dev.ferry.messages.StateRpc;
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
    void wholeRestoresAreNotCheckedAndAnUnavailableBackupIsRefusedFirst(Engine engine) {
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
        assertEquals(List.of(), check.asked, "only a selective restore that passed the other checks is checked");
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
                dev.ferry.api.model.JobStatus.RUNNING, 2, "node-b");
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
}
