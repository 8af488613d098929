package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.messages.BackupRow;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.StateRpc;
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
    void shareCastsAreProcessedAsShareJobsAndClaimedWithOrWithoutABackup() {
        DataRpc.DataCast plain = triaged(DataRpc.createShare("s3", null, CONTEXT).toBytes());
        DataRpc.DataCast fromBackup = triaged(DataRpc.createShare("s3", BACKUP, CONTEXT).toBytes());
        DataRpc.DataCast delete = triaged(DataRpc.deleteShare("s3", CONTEXT).toBytes());
        DataRpc.DataCast shrink = triaged(DataRpc.shrinkShare("s3", 2, CONTEXT).toBytes());

        assertEquals(JobKind.CREATE_SHARE, JobSlot.kindOf(plain));
        assertEquals(JobKind.CREATE_SHARE, JobSlot.kindOf(fromBackup));
        assertEquals(JobKind.DELETE_SHARE, JobSlot.kindOf(delete));
        assertEquals(JobKind.SHRINK_SHARE, JobSlot.kindOf(shrink));
        assertEquals(new DataRpc.ShrinkShare("s3", 2), shrink);
        assertEquals("create_share of share s3", JobSlot.describe(JobKind.CREATE_SHARE, plain));
        assertEquals("create_share of backup b1", JobSlot.describe(JobKind.CREATE_SHARE, fromBackup));
        assertEquals("delete_share of share s3", JobSlot.describe(JobKind.DELETE_SHARE, delete));
        StateRpc.Claim claim = new StateRpc.Claim(JobKind.DELETE_SHARE, delete.backup(), delete.shareId(), "node-1");
        assertEquals("delete_share of share s3", ClaimClient.describe(claim));
        assertNull(claim.backupId());
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
                case "CreateShare" -> new DataRpc.CreateShare("s3", null);
                case "DeleteShare" -> new DataRpc.DeleteShare("s3");
                case "ShrinkShare" -> new DataRpc.ShrinkShare("s3", 1);
                default -> throw new AssertionError("a new cast type, " + type + ": map it in JobSlot.kindOf "
                        + "and add it here");
            };
            kinds.add(JobSlot.kindOf(cast));
        }
        assertEquals(castTypes.length, kinds.size(), "two cast types map to the same kind");
        assertEquals(EnumSet.allOf(JobKind.class), kinds);
    }
}
