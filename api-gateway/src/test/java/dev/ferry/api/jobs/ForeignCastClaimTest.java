package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.StateRpc;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Casts that did not come through Ferry's API (raw oslo casts on {@code manila-data}): their claim is granted
 * only if the cast's context may do what it asks under the API's policies; otherwise the job is refused with a
 * user message, nothing changes, and the refusal asks the node to park the cast.
 */
class ForeignCastClaimTest extends OnBothDatabases {

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRestoreOfAnotherProjectsBackupIntoOnesOwnShareIsRefusedWithAUserMessage(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share victims = f.share("victim", 10, ShareStatus.AVAILABLE);
        Backup privateBackup = f.backup(victims, 10, BackupStatus.AVAILABLE);
        Share mallorys = f.share("evil", 10, ShareStatus.AVAILABLE);

        RpcFailureException refused = assertThrows(RpcFailureException.class, () -> claims(f).claim(
                new StateRpc.Claim(JobKind.RESTORE, privateBackup.toRow(), mallorys.id(), "node-x"),
                member("evil", "req-mallory")));

        assertEquals(StateRpc.CLAIM_REFUSED, refused.failure().className());
        assertTrue(StateRpc.asksToPark(refused.failure()), "the node must park the cast, not drop it");
        assertTrue(refused.failure().message().contains("backup " + privateBackup.id()
                + " belongs to another project"), refused.failure().message());
        assertNothingChanged(f, privateBackup, mallorys);
        List<UserMessage> messages = messagesOn(f, mallorys.id());
        assertEquals(1, messages.size(), "mallory is told why on her share");
        assertEquals("evil", messages.get(0).projectId());
        assertEquals(UserMessageAction.RESTORE_BACKUP.id(), messages.get(0).actionId());
        assertEquals(FailureDetail.REQUEST_PROJECT_NOT_ALLOWED.id(), messages.get(0).detailId());
        assertEquals("req-mallory", messages.get(0).requestId());
        assertEquals(JobFailure.RESOURCE_SHARE, messages.get(0).resourceType());
        assertEquals(List.of(), messagesOf(f, "victim"), "nothing is recorded in the victim's project");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRestoreIntoAnotherProjectsShareIsRefusedEvenWhenItIsPublic(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share victims = f.share("victim", 10, ShareStatus.AVAILABLE, "NFS", true);
        Share mallorys = f.share("evil", 10, ShareStatus.AVAILABLE);
        Backup mallorysBackup = f.backup(mallorys, 10, BackupStatus.AVAILABLE);

        RpcFailureException refused = assertThrows(RpcFailureException.class, () -> claims(f).claim(
                new StateRpc.Claim(JobKind.RESTORE, mallorysBackup.toRow(), victims.id(), "node-x"),
                member("evil", "req-overwrite")));

        assertTrue(StateRpc.asksToPark(refused.failure()));
        assertTrue(refused.failure().message().contains("share " + victims.id() + " belongs to another project"),
                refused.failure().message());
        assertNothingChanged(f, mallorysBackup, victims);
        assertEquals(1, messagesOn(f, victims.id()).size(), "the message is on the share that was named");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aReaderOfTheProjectIsRefusedByTheRestorePolicy(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 10, BackupStatus.AVAILABLE);
        RequestContext reader = new RequestContext("u", "p1", false, List.of("reader"), "req-reader", null, null,
                null);

        RpcFailureException refused = assertThrows(RpcFailureException.class, () -> claims(f).claim(
                new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), "node-x"), reader));

        assertTrue(refused.failure().message().contains("policy share_backup:restore"), refused.failure().message());
        assertNothingChanged(f, backup, share);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theSameProjectsRestoreIsGrantedWithASecret(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share source = f.share("victim", 10, ShareStatus.AVAILABLE);
        Share target = f.share("victim", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 10, BackupStatus.AVAILABLE);

        StateRpc.Grant grant = claims(f).claim(new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), target.id(),
                "node-a"), member("victim", "req-honest"));

        assertEquals(JobStatus.RUNNING, f.job(grant.jobId()).status());
        assertEquals(BackupStatus.RESTORING, f.backup(backup.id()).status());
        assertEquals(ShareStatus.BACKUP_RESTORING, f.share(target.id()).status());
        assertNotNull(grant.secret());
        assertEquals(43, grant.secret().length(), "32 random bytes, base64url without padding");
        assertEquals(List.of(), messagesOf(f, "victim"));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anAdminContextMayRestoreAnyProjectsBackupIntoAnyShare(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share victims = f.share("victim", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(victims, 10, BackupStatus.AVAILABLE);
        Share other = f.share("evil", 10, ShareStatus.AVAILABLE);
        RequestContext admin = new RequestContext("admin", "admin-project", true, List.of("admin"), "req-admin",
                null, null, null);

        StateRpc.Grant grant = claims(f).claim(new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), other.id(),
                "node-a"), admin);

        assertEquals(JobStatus.RUNNING, f.job(grant.jobId()).status());
        assertEquals(ShareStatus.BACKUP_RESTORING, f.share(other.id()).status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void backupCreationAndDeletionCastsAreCheckedTheSameWay(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("victim", 10, ShareStatus.BACKUP_CREATING);
        Backup creating = f.backup(share, 10, BackupStatus.CREATING);
        Share other = f.share("victim", 10, ShareStatus.AVAILABLE);
        Backup deleting = f.backup(other, 10, BackupStatus.DELETING);
        ClaimService claims = claims(f);

        for (StateRpc.Claim claim : List.of(
                new StateRpc.Claim(JobKind.CREATE_BACKUP, creating.toRow(), share.id(), "node-x"),
                new StateRpc.Claim(JobKind.DELETE_BACKUP, deleting.toRow(), null, "node-x"))) {
            RpcFailureException refused = assertThrows(RpcFailureException.class,
                    () -> claims.claim(claim, member("evil", "req-" + claim.kind().wireName())));
            assertTrue(StateRpc.asksToPark(refused.failure()), refused.failure().message());
            List<UserMessage> onBackup = messagesOn(f, claim.backupId());
            assertEquals(1, onBackup.size(), claim.kind().wireName());
            assertEquals("victim", onBackup.get(0).projectId(), "a backup's messages are its project's");
            assertEquals(JobFailure.RESOURCE_SHARE_BACKUP, onBackup.get(0).resourceType());
            assertEquals(List.of(), f.repos().database().read(c -> f.repos().jobs().forBackup(c, claim.kind(),
                    claim.backupId())), "no job for " + claim.kind().wireName());
        }
        assertEquals(BackupStatus.CREATING, f.backup(creating.id()).status());
        assertEquals(BackupStatus.DELETING, f.backup(deleting.id()).status());

        assertEquals(JobStatus.RUNNING, f.job(claims.claim(new StateRpc.Claim(JobKind.CREATE_BACKUP,
                creating.toRow(), share.id(), "node-a"), member("victim", "req-c")).jobId()).status());
        assertEquals(JobStatus.RUNNING, f.job(claims.claim(new StateRpc.Claim(JobKind.DELETE_BACKUP,
                deleting.toRow(), null, "node-a"), member("victim", "req-d")).jobId()).status());
    }

    private static ClaimService claims(Fixtures f) {
        return new ClaimService(f.repos(), 30);
    }

    private static RequestContext member(String project, String requestId) {
        return ClaimServiceTest.member(project, requestId);
    }

    private static void assertNothingChanged(Fixtures f, Backup backup, Share target) {
        assertEquals(backup.status(), f.backup(backup.id()).status());
        assertEquals(target.status(), f.share(target.id()).status());
        assertNull(f.share(target.id()).sourceBackupId());
        assertEquals(List.of(), f.repos().database().read(c -> f.repos().jobs().forBackup(c, JobKind.RESTORE,
                backup.id())), "no job was created");
    }

    private static List<UserMessage> messagesOn(Fixtures f, String resourceId) {
        return f.repos().database().read(c -> f.repos().messages().list(c,
                new UserMessageRepository.Filter(null, resourceId, null, null, null, null, null)));
    }

    private static List<UserMessage> messagesOf(Fixtures f, String project) {
        return f.repos().database().read(c -> f.repos().messages().list(c,
                new UserMessageRepository.Filter(project, null, null, null, null, null, null)));
    }
}
