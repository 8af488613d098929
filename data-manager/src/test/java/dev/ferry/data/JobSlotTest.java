package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.ferry.messages.BackupRow;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a slot turns a triaged cast into the job kind it claims. */
class JobSlotTest {
    private static final BackupRow BACKUP = new BackupRow("b1", "alice", "p1", "s1", 1, null, "manila-data", null,
            null, "100", "0", "deleting", null, null, null, null, null);
    private static final RequestContext CONTEXT = RequestContext.of("alice", "p1", false, List.of("member"));
    private final DeliveryTriage triage = new DeliveryTriage(5, false);

    private DataRpc.DataCast triaged(byte[] body) {
        DeliveryTriage.Verdict verdict = triage.triage("application/json", body, Map.of());
        return assertInstanceOf(DeliveryTriage.Process.class, verdict).cast();
    }

    @Test
    void aDeleteBackupCastIsProcessedAsADeleteBackupJobOfTheBackupsShare() {
        DataRpc.DataCast cast = triaged(DataRpc.deleteBackup(BACKUP, CONTEXT).toBytes());

        assertEquals(new DataRpc.DeleteBackup(BACKUP), cast);
        assertEquals(JobKind.DELETE_BACKUP, JobSlot.kindOf(cast));
        assertEquals("s1", cast.shareId(), "the claim carries the backup's share, as for create");
    }

    @Test
    void createAndRestoreCastsKeepTheirKinds() {
        assertEquals(JobKind.CREATE_BACKUP, JobSlot.kindOf(triaged(DataRpc.createBackup(BACKUP, CONTEXT).toBytes())));
        assertEquals(JobKind.RESTORE, JobSlot.kindOf(triaged(DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).toBytes())));
    }

    @Test
    void everyCastTypeMapsToItsOwnKind() {
        Set<JobKind> kinds = EnumSet.noneOf(JobKind.class);
        Class<?>[] castTypes = DataRpc.DataCast.class.getPermittedSubclasses();
        for (Class<?> type : castTypes) {
            DataRpc.DataCast cast = switch (type.getSimpleName()) {
                case "RestoreBackup" -> new DataRpc.RestoreBackup(BACKUP, "s2");
                case "CreateBackup" -> new DataRpc.CreateBackup(BACKUP);
                case "DeleteBackup" -> new DataRpc.DeleteBackup(BACKUP);
                default -> throw new AssertionError("a new cast type, " + type + ": map it in JobSlot.kindOf "
                        + "and add it here");
            };
            kinds.add(JobSlot.kindOf(cast));
        }
        assertEquals(castTypes.length, kinds.size(), "two cast types map to the same kind");
        assertEquals(EnumSet.allOf(JobKind.class), kinds);
    }
}
