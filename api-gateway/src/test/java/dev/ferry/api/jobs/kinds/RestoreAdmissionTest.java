package dev.ferry.api.jobs.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.api.service.Policies;
import dev.ferry.messages.RequestContext;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A restore's admission, written once for the API and for a cast that did not come through it: the API answers
 * the first check that fails in Manila's order, a cast's claim what is gone first, then what its context may not
 * do (told on the target, the cast parked). Pure: needs no database.
 */
class RestoreAdmissionTest {
    private static final LocalDateTime NOW = LocalDateTime.of(2025, 1, 1, 0, 0);
    private final RestoreKind restores = new RestoreKind(null);
    private final Policies policies = Policies.defaults();

    @Test
    void anOwnersRestoreOfAnAvailableBackupIntoAnAvailableShareOfItsSizeIsAdmitted() {
        Share target = share("p1", 10, ShareStatus.AVAILABLE, false);
        Backup backup = backup("p1", 10, BackupStatus.AVAILABLE);

        Verdict verdict = restores.admission(policies, member("p1"), backup.id(), backup, target.id(), target);

        assertTrue(verdict.admitted(), () -> verdict.refusals().toString());
        verdict.requireForApi();
        verdict.requireForCast(member("p1"), "restore", () -> null);
    }

    @Test
    void theApiAnswersInManilasOrderWhileACastIsToldWhatIsGoneFirst() {
        Backup busy = backup("p1", 10, BackupStatus.CREATING);

        Verdict verdict = restores.admission(policies, member("p1"), busy.id(), busy, "no-such-share", null);

        Refusal api = assertThrows(Refusal.class, verdict::requireForApi);
        assertEquals(400, api.httpStatus());
        assertEquals("Invalid backup: Backup " + busy.id() + " status must be available.", api.answer());
        Refusal cast = assertThrows(Refusal.class, () -> verdict.requireForCast(member("p1"), "restore", () -> null));
        assertEquals("Share no-such-share could not be found.", cast.reason());
    }

    @Test
    void anotherProjectsBackupIsNotFoundForTheApiAndAForbiddenCastIsToldOnItsTarget() {
        Share mine = share("evil", 10, ShareStatus.AVAILABLE, false);
        Backup theirs = backup("victim", 10, BackupStatus.AVAILABLE);

        Verdict verdict = restores.admission(policies, member("evil"), theirs.id(), theirs, mine.id(), mine);

        Refusal api = assertThrows(Refusal.class, verdict::requireForApi);
        assertEquals(404, api.httpStatus());
        assertEquals("No backup exists with ID " + theirs.id() + ".", api.answer());
        CastForbidden cast = assertThrows(CastForbidden.class, () -> verdict.requireForCast(member("evil"),
                "restore backup " + theirs.id() + " into share " + mine.id(),
                () -> new Notice(UserMessageAction.RESTORE_BACKUP, Notice.SHARE, mine.id(), mine.projectId())));
        assertTrue(cast.reason().contains("backup " + theirs.id() + " belongs to another project"), cast.reason());
        assertTrue(cast.reason().contains("the cast is parked"), cast.reason());
        assertEquals(new Notice(UserMessageAction.RESTORE_BACKUP, Notice.SHARE, mine.id(), "evil"), cast.notice());
    }

    @Test
    void anotherProjectsPublicShareIsSeenButNotWritten() {
        Share public_ = share("victim", 10, ShareStatus.AVAILABLE, true);
        Backup mine = backup("evil", 10, BackupStatus.AVAILABLE);

        Verdict verdict = restores.admission(policies, member("evil"), mine.id(), mine, public_.id(), public_);

        Refusal api = assertThrows(Refusal.class, verdict::requireForApi);
        assertEquals(403, api.httpStatus());
        assertTrue(api.answer().startsWith("Share " + public_.id() + " belongs to another project"), api.answer());
        Refusal cast = assertThrows(CastForbidden.class, () -> verdict.requireForCast(member("evil"), "restore",
                () -> new Notice(UserMessageAction.RESTORE_BACKUP, Notice.SHARE, public_.id(), "victim")));
        assertTrue(cast.reason().contains("share " + public_.id() + " belongs to another project"), cast.reason());
        assertTrue(restores.admission(policies, admin(), mine.id(), mine, public_.id(), public_).admitted(),
                "an admin may restore into any share");
    }

    @Test
    void aPolicyThatRefusesTheRolesIsAnsweredFirst() {
        Policies adminOnly = Policies.withOverrides(Map.of("share_backup:restore", "role:admin"));
        Backup busy = backup("p1", 10, BackupStatus.ERROR);

        Verdict verdict = restores.admission(adminOnly, member("p1"), busy.id(), busy, "gone", null);

        Refusal api = assertThrows(Refusal.class, verdict::requireForApi);
        assertEquals(403, api.httpStatus());
        assertEquals("Access was denied to this resource.", api.answer());
        assertEquals(3, verdict.refusals().size(), "policy, backup status and target: " + verdict.refusals());
    }

    @Test
    void aTargetThatIsBusyOrTooSmallIsRefusedWithManilasMessages() {
        Backup backup = backup("p1", 10, BackupStatus.AVAILABLE);
        Share busy = share("p1", 10, ShareStatus.BACKUP_CREATING, false);
        Share small = share("p1", 5, ShareStatus.AVAILABLE, false);

        Refusal notAvailable = assertThrows(Refusal.class, () -> restores.admission(policies, member("p1"),
                backup.id(), backup, busy.id(), busy).requireForApi());
        Refusal tooSmall = assertThrows(Refusal.class, () -> restores.admission(policies, member("p1"),
                backup.id(), backup, small.id(), small).requireForApi());

        assertTrue(notAvailable.answer().startsWith("Invalid share: Share to be restored to must be available. Share "
                + busy.id() + " is 'backup_creating'"), notAvailable.answer());
        assertEquals("Invalid share: Share size 5 is too small to restore backup of size 10.", tooSmall.answer());
        assertEquals(400, tooSmall.httpStatus());
    }

    static RequestContext member(String project) {
        return new RequestContext("user-of-" + project, project, false, List.of("member", "reader"), "req-1", null,
                null, null);
    }

    static RequestContext admin() {
        return new RequestContext("admin", "admin", true, List.of("admin", "member", "reader"), "req-2", null, null,
                null);
    }

    static Share share(String project, int size, ShareStatus status, boolean isPublic) {
        String id = "share-" + project + "-" + size + "-" + status.wire();
        return new Share(id, project, "user-of-" + project, id, null, "NFS", size, status, "/exports/" + id, isPublic,
                null, NOW, NOW, Share.MANAGED);
    }

    static Backup backup(String project, int size, BackupStatus status) {
        return new Backup("backup-" + project + "-" + status.wire(), project, "user-of-" + project, "share-of-" + project,
                size, status, null, null, "100", "0", null, null, "node-1", "manila-data", NOW, NOW);
    }
}
