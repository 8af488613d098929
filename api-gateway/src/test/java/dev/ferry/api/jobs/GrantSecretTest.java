package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.jobs.TransitionApplier.Result;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.api.testing.TestClock;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A grant's secret: lease renewals, releases and transitions that do not present it (node names are
 * self-declared) are dropped and change nothing; the holder's, presenting it, are applied.
 */
class GrantSecretTest extends OnBothDatabases {
    private static final String WRONG = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private record Setup(Fixtures f, TestClock clock, Share share, Backup backup, Job job, StateRpc.Grant grant,
                         ClaimService claims, LeaseService leases, TransitionApplier transitions) {
        Job now() {
            return f.job(job.id());
        }
    }

    private Setup claimed(Engine engine) throws RpcFailureException {
        TestClock clock = new TestClock();
        Fixtures f = new Fixtures(dbs.fresh(engine), clock);
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
        CastOutbox outbox = new CastOutbox(f.repos().outbox(), "openstack", () -> { });
        ClaimService claims = new ClaimService(f.repos(), 30);
        StateRpc.Grant grant = claims.claim(new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), "node-a")
                .withToken("token-a"), job.requestId());
        return new Setup(f, clock, share, backup, job, grant, claims,
                new LeaseService(f.repos(), new JobRequeue(f.repos(), outbox), outbox, 30), new TransitionApplier(f.repos()));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void renewalsWithoutTheGrantsSecretAreDroppedAndTheHoldersIsApplied(Engine engine) throws Exception {
        Setup s = claimed(engine);
        LocalDateTime lease = s.now().leaseExpiresAt();
        s.clock().advance(Duration.ofSeconds(20));

        for (String secret : Arrays.asList(null, "", WRONG)) {
            RpcFailureException lost = assertThrows(RpcFailureException.class,
                    () -> s.leases().renew(new StateRpc.Hold(s.job().id(), 1, "node-a", secret)));
            assertEquals(StateRpc.LEASE_LOST, lost.failure().className());
            assertTrue(lost.failure().message().contains("secret"), lost.failure().message());
            assertEquals(lease, s.now().leaseExpiresAt(), "a renewal naming the node but not proving it changes nothing");
        }

        assertEquals(30, s.leases().renew(new StateRpc.Hold(s.job().id(), 1, "node-a", s.grant().secret())));
        assertEquals(lease.plusSeconds(20), s.now().leaseExpiresAt());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aReleaseWithoutTheGrantsSecretChangesNothing(Engine engine) throws Exception {
        Setup s = claimed(engine);

        assertThrows(RpcFailureException.class, () -> s.leases().release(new StateRpc.Hold(s.job().id(), 1, "node-a",
                WRONG), "draining"));
        assertEquals(JobStatus.RUNNING, s.now().status());
        assertEquals(1, s.now().epoch());

        s.leases().release(new StateRpc.Hold(s.job().id(), 1, "node-a", s.grant().secret()), "draining");
        assertEquals(JobStatus.QUEUED, s.now().status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void transitionsWithoutTheGrantsSecretAreDroppedAndTheHoldersIsApplied(Engine engine) throws Exception {
        Setup s = claimed(engine);
        List<Transition> forged = new ArrayList<>();
        for (String secret : Arrays.asList(null, WRONG)) {
            forged.add(Transition.succeeded(s.job().id(), 1, "node-a").withSecret(secret));
            forged.add(Transition.progress(s.job().id(), 1, "node-a", 90).withSecret(secret));
            forged.add(Transition.failed(s.job().id(), 1, "node-a", FailureDetail.COPY_FAILED, "forged", true)
                    .withSecret(secret));
        }

        for (Transition transition : forged) {
            assertEquals(Result.DROPPED, s.transitions().apply(transition), transition.toString());
        }
        assertEquals(JobStatus.RUNNING, s.now().status());
        assertEquals(BackupStatus.RESTORING, s.f().backup(s.backup().id()).status());
        assertEquals("0", s.f().backup(s.backup().id()).restoreProgress());
        assertEquals(ShareStatus.BACKUP_RESTORING, s.f().share(s.share().id()).status());

        assertEquals(Result.APPLIED, s.transitions().apply(Transition.progress(s.job().id(), 1, "node-a", 40)
                .withSecret(s.grant().secret())));
        assertEquals("40", s.f().backup(s.backup().id()).restoreProgress());
        assertEquals(Result.APPLIED, s.transitions().apply(Transition.succeeded(s.job().id(), 1, "any-name")
                .withSecret(s.grant().secret())), "the secret proves the holder, whatever name it gives");
        assertEquals(JobStatus.SUCCEEDED, s.now().status());
        assertEquals(ShareStatus.AVAILABLE, s.f().share(s.share().id()).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anotherJobsSecretOrAnOlderGrantsSecretProvesNothing(Engine engine) throws Exception {
        Setup s = claimed(engine);
        Share other = s.f().share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup otherBackup = s.f().backup(other, 10, BackupStatus.RESTORING);
        Job otherJob = s.f().job(JobKind.RESTORE, otherBackup, other, JobStatus.QUEUED, 0, null);
        StateRpc.Grant otherGrant = s.claims().claim(new StateRpc.Claim(JobKind.RESTORE, otherBackup.toRow(),
                other.id(), "node-b"), otherJob.requestId());
        assertNotEquals(s.grant().secret(), otherGrant.secret());

        assertEquals(Result.DROPPED, s.transitions().apply(Transition.succeeded(s.job().id(), 1, "node-b")
                .withSecret(otherGrant.secret())));
        assertEquals(JobStatus.RUNNING, s.now().status());

        // the holder lost its grant's reply and claimed again with its token: the lost secret is replaced
        StateRpc.Grant again = s.claims().claim(new StateRpc.Claim(JobKind.RESTORE, s.backup().toRow(),
                s.share().id(), "node-a").withToken("token-a"), s.job().requestId());
        assertEquals(s.grant().epoch(), again.epoch());
        assertNotEquals(s.grant().secret(), again.secret());
        assertEquals(Result.DROPPED, s.transitions().apply(Transition.succeeded(s.job().id(), 1, "node-a")
                .withSecret(s.grant().secret())));
        assertEquals(Result.APPLIED, s.transitions().apply(Transition.succeeded(s.job().id(), 1, "node-a")
                .withSecret(again.secret())));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void onlyTheSecretsHashIsStored(Engine engine) throws Exception {
        Setup s = claimed(engine);
        List<String> stored = s.f().repos().database().read(c -> {
            List<String> values = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT secret_hash, claim_token_hash FROM job_attempts WHERE job_id = ?")) {
                ps.setString(1, s.job().id());
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                        values.add(rs.getString(2));
                    }
                }
            }
            return values;
        });
        assertEquals(List.of(GrantSecrets.hash(s.grant().secret()), GrantSecrets.hash("token-a")), stored);
        assertFalse(stored.contains(s.grant().secret()));
        assertNull(GrantSecrets.hash(null));
    }
}
