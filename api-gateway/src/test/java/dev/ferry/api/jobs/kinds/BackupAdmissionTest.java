package dev.ferry.api.jobs.kinds;

import static dev.ferry.api.jobs.kinds.RestoreAdmissionTest.backup;
import static dev.ferry.api.jobs.kinds.RestoreAdmissionTest.member;
import static dev.ferry.api.jobs.kinds.RestoreAdmissionTest.share;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.service.Policies;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/**
 * The admissions of a backup's creation, its deletion and a share created from it, as the API answers them. Pure:
 * needs no database.
 */
class BackupAdmissionTest {
    private final Policies policies = Policies.defaults();

    @Test
    void aBackupOfTheOwnersAvailableNfsShareIsAdmittedAndAnythingElseIsRefusedAsManilaDoes() {
        CreateBackupKind creation = new CreateBackupKind(null);
        Share mine = share("p1", 10, ShareStatus.AVAILABLE, false);
        Share theirs = share("p2", 10, ShareStatus.AVAILABLE, false);
        Share theirsPublic = share("p2", 10, ShareStatus.AVAILABLE, true);
        Share busy = share("p1", 10, ShareStatus.SHRINKING, false);
        LocalDateTime now = LocalDateTime.of(2025, 1, 1, 0, 0);
        Share cifs = new Share("cifs", "p1", "u", "cifs", null, "CIFS", 10, ShareStatus.AVAILABLE, "/exports/cifs",
                false, null, now, now, Share.MANAGED);

        assertTrue(creation.admission(policies, member("p1"), mine.id(), mine).admitted());
        assertAnswer(400, "No share exists with ID " + theirs.id() + ".",
                creation.admission(policies, member("p1"), theirs.id(), theirs));
        assertAnswer(403, "Share " + theirsPublic.id() + " belongs to another project: only its owning project or an "
                + "admin may back it up. Back up a share of your own project.",
                creation.admission(policies, member("p1"), theirsPublic.id(), theirsPublic));
        assertAnswer(400, "Share " + busy.id() + " is in 'shrinking' state, but it must be in 'available' state to "
                + "create a backup.", creation.admission(policies, member("p1"), busy.id(), busy));
        assertAnswer(400, "Cannot backup share cifs. The generic approach for share backups only supports the "
                + "following protocols: ['NFS'].", creation.admission(policies, member("p1"), "cifs", cifs));
    }

    @Test
    void onlyAnAvailableOrFailedBackupOfTheCallersProjectIsDeleted() {
        DeleteBackupKind deletion = new DeleteBackupKind(null);
        Backup available = backup("p1", 10, BackupStatus.AVAILABLE);
        Backup failed = backup("p1", 10, BackupStatus.ERROR);
        Backup restoring = backup("p1", 10, BackupStatus.RESTORING);

        assertTrue(deletion.admission(policies, member("p1"), available.id(), available).admitted());
        assertTrue(deletion.admission(policies, member("p1"), failed.id(), failed).admitted());
        assertAnswer(400, "Invalid backup: Backup " + restoring.id() + " status must be available or error.",
                deletion.admission(policies, member("p1"), restoring.id(), restoring));
        assertAnswer(404, "No backup exists with ID " + available.id() + ".",
                deletion.admission(policies, member("p2"), available.id(), available));
        assertAnswer(404, "No backup exists with ID gone.", deletion.admission(policies, member("p1"), "gone", null));
    }

    @Test
    void aShareFromABackupHasARestoresChecksOnTheBackupAndMustHoldIt() {
        CreateShareKind shares = new CreateShareKind(null);
        Backup backup = backup("p1", 10, BackupStatus.AVAILABLE);
        Backup busy = backup("p1", 10, BackupStatus.DELETING);

        assertTrue(shares.fromBackup(policies, member("p1"), backup.id(), backup, null).admitted());
        assertTrue(shares.fromBackup(policies, member("p1"), backup.id(), backup, 12).admitted());
        assertAnswer(400, "Invalid share: Share size 4 is too small to restore backup of size 10. Leave 'size' out to "
                + "get the backup's size.", shares.fromBackup(policies, member("p1"), backup.id(), backup, 4));
        assertAnswer(400, "Invalid backup: Backup " + busy.id() + " status must be available.",
                shares.fromBackup(policies, member("p1"), busy.id(), busy, null));
        assertAnswer(404, "No backup exists with ID " + backup.id() + ".",
                shares.fromBackup(policies, member("p2"), backup.id(), backup, null));
    }

    private static void assertAnswer(int status, String answer, Verdict verdict) {
        Refusal refusal = assertThrows(Refusal.class, verdict::requireForApi);
        assertEquals(answer, refusal.answer());
        assertEquals(status, refusal.httpStatus());
    }
}
