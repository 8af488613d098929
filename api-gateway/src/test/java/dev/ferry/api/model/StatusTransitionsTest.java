package dev.ferry.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every (from, to) pair of every status enum against the table written out here. */
class StatusTransitionsTest {

    @Test
    void shareTransitionsAreExactlyTheTable() {
        Set<String> allowed = Set.of(
                "creating>available", "creating>error",
                "available>backup_creating", "available>backup_restoring", "available>deleting", "available>shrinking",
                "error>deleting", "deleting>error_deleting", "shrinking>available",
                "backup_creating>available",
                "backup_restoring>available", "backup_restoring>backup_restoring_error");
        for (ShareStatus from : ShareStatus.values()) {
            for (ShareStatus to : ShareStatus.values()) {
                assertEquals(allowed.contains(from.wire() + ">" + to.wire()), from.canBecome(to),
                        "share " + from.wire() + " -> " + to.wire());
            }
        }
    }

    @Test
    void backupTransitionsAreExactlyTheTable() {
        Set<String> allowed = Set.of(
                "creating>available", "creating>error",
                "available>restoring", "available>deleting",
                "restoring>available",
                "error>deleting",
                "deleting>error_deleting", "deleting>deleted");
        for (BackupStatus from : BackupStatus.values()) {
            for (BackupStatus to : BackupStatus.values()) {
                assertEquals(allowed.contains(from.wire() + ">" + to.wire()), from.canBecome(to),
                        "backup " + from.wire() + " -> " + to.wire());
            }
        }
    }

    @Test
    void jobTransitionsAreExactlyTheTable() {
        Set<String> allowed = Set.of("queued>running", "running>succeeded", "running>failed", "running>queued",
                "queued>cancelled", "running>cancelled");
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                assertEquals(allowed.contains(from.wire() + ">" + to.wire()), from.canBecome(to),
                        "job " + from.wire() + " -> " + to.wire());
            }
        }
    }

    @Test
    void wireNamesAreManilasAndRoundTrip() {
        assertEquals("backup_restoring_error", ShareStatus.BACKUP_RESTORING_ERROR.wire());
        assertEquals("error_deleting", BackupStatus.ERROR_DELETING.wire());
        for (ShareStatus s : ShareStatus.values()) {
            assertEquals(s, ShareStatus.fromWire(s.wire()));
        }
        for (BackupStatus s : BackupStatus.values()) {
            assertEquals(s, BackupStatus.fromWire(s.wire()));
        }
        for (JobStatus s : JobStatus.values()) {
            assertEquals(s, JobStatus.fromWire(s.wire()));
        }
        assertThrows(IllegalArgumentException.class, () -> ShareStatus.fromWire("backup_restored"));
    }
}
