package dev.ferry.api.jobs.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.messages.JobKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one table from a job kind to its rules: complete, or the api-gateway does not start. Needs no database. */
class JobKindsTest {

    @Test
    void ferrysTableHasRulesForEveryKindOfTheWireContract() {
        JobKinds kinds = JobKinds.standard(null);

        for (JobKind kind : JobKind.values()) {
            assertEquals(kind, kinds.of(kind).kind(), "the rules found for " + kind + " are its own");
        }
        assertSame(kinds.of(JobKind.RESTORE), kinds.restore());
        assertSame(kinds.of(JobKind.CREATE_BACKUP), kinds.createBackup());
        assertSame(kinds.of(JobKind.DELETE_BACKUP), kinds.deleteBackup());
        assertSame(kinds.of(JobKind.CREATE_SHARE), kinds.createShare());
        assertSame(kinds.of(JobKind.DELETE_SHARE), kinds.deleteShare());
        assertSame(kinds.of(JobKind.SHRINK_SHARE), kinds.shrinkShare());
        assertSame(kinds.of(JobKind.VERIFY_BACKUP), kinds.verify());
    }

    @Test
    void aTableWithoutRulesForAKindRefusesToBeBuiltAndNamesTheKind() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new JobKinds(List.of(
                new RestoreKind(null), new CreateBackupKind(null), new DeleteBackupKind(null),
                new CreateShareKind(null), new DeleteShareKind(null), new VerifyKind(null))));

        assertTrue(refused.getMessage().contains("[shrink_share]"), refused.getMessage());
        assertTrue(refused.getMessage().contains("add a KindRules type"), refused.getMessage());
    }

    @Test
    void aKindGivenTwoRulesTypesRefusesToBeBuilt() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new JobKinds(List.of(
                new RestoreKind(null), new RestoreKind(null), new CreateBackupKind(null), new DeleteBackupKind(null),
                new CreateShareKind(null), new DeleteShareKind(null), new ShrinkShareKind(null), new VerifyKind(null))));

        assertTrue(refused.getMessage().contains("restore_backup has two rules types"), refused.getMessage());
    }

    @Test
    void aBackupsCancelEndsWhatReadsOrMakesItsDataAndTheMessagesGoWhereTheUserAsked() {
        JobKinds kinds = JobKinds.standard(null);

        assertTrue(kinds.restore().endsWithBackupCancel());
        assertTrue(kinds.createShare().endsWithBackupCancel());
        assertTrue(kinds.createBackup().endsWithBackupCancel());
        assertEquals(List.of(), List.of(kinds.deleteBackup(), kinds.deleteShare(), kinds.shrinkShare(), kinds.verify())
                .stream()
                .filter(KindRules::endsWithBackupCancel).toList());
        assertEquals(List.of(JobKind.CREATE_BACKUP, JobKind.DELETE_BACKUP, JobKind.VERIFY_BACKUP), List.of(JobKind.values()).stream()
                .filter(k -> kinds.of(k).aboutBackup()).toList(), "a backup's own jobs tell on the backup");
    }
}
