package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.drivers.BackupDeleteRequest;
import dev.ferry.drivers.BackupDriver;
import dev.ferry.drivers.BackupRequest;
import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyReport;
import dev.ferry.drivers.DriverException;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.drivers.RestoreRequest;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc.Grant;
import dev.ferry.messages.StatusRpc.Outcome;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeleteBackupJobTest {
    private static final BackupRow BACKUP = new BackupRow("b1", "u", "p", "source", 1, null, "manila-data", null,
            null, "100", "0", "deleting", null, null, null, null, null);
    private static final ShareInfo SOURCE = new ShareInfo("source", "p", "NFS", 1, "/exports/source");

    /** A driver that records the deletes it was asked for and fails when the test says so. */
    private static final class FakeDriver implements BackupDriver {
        final List<BackupDeleteRequest> deletes = new ArrayList<>();
        DriverException failure;
        RuntimeException bug;

        @Override
        public boolean useDataManager() {
            return true;
        }

        @Override
        public boolean supportRestoreToTarget() {
            return true;
        }

        @Override
        public boolean supportsRestore(String backupProtocol, String targetProtocol) {
            return true;
        }

        @Override
        public boolean supportsBackup(String shareProtocol) {
            return true;
        }

        @Override
        public CopyReport backup(BackupRequest request, ProgressListener progress, Cancellation cancellation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CopyReport restore(RestoreRequest request, ProgressListener progress, Cancellation cancellation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(BackupDeleteRequest request, Cancellation cancellation) throws DriverException {
            deletes.add(request);
            if (bug != null) {
                throw bug;
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private final List<Transition> sent = new ArrayList<>();
    private final FakeDriver driver = new FakeDriver();

    private JobContext context() {
        Grant grant = new Grant("job-1", 4, JobKind.DELETE_BACKUP, BACKUP, SOURCE, null, 30);
        return new JobContext(grant, driver, (t, requestId) -> sent.add(t), "node-1", "req-1", Duration.ZERO);
    }

    @Test
    void deletesTheBackupThroughTheDriverAndSucceeds() {
        new DeleteBackupJob(context()).run();

        assertEquals(List.of(new BackupDeleteRequest("b1")), driver.deletes);
        assertEquals(1, sent.size());
        assertEquals(Outcome.SUCCEEDED, sent.get(0).outcome());
        assertEquals(4, sent.get(0).epoch(), "transitions quote the grant's epoch");
        assertEquals("job-1", sent.get(0).jobId());
    }

    @Test
    void aDriverFailureIsReportedWithItsDetailAndReason() {
        driver.failure = new DriverException(FailureDetail.MOUNT_FAILED, "Deletion of backup b1 failed: no mount",
                false, null);

        new DeleteBackupJob(context()).run();

        assertEquals(1, sent.size());
        Transition failed = sent.get(0);
        assertEquals(Outcome.FAILED, failed.outcome());
        assertEquals(FailureDetail.MOUNT_FAILED, failed.detail());
        assertEquals("Deletion of backup b1 failed: no mount", failed.reason());
        assertFalse(failed.targetTouched());
    }

    @Test
    void anUnexpectedErrorIsReportedAsUnknown() {
        driver.bug = new IllegalStateException("bug");

        new DeleteBackupJob(context()).run();

        assertEquals(Outcome.FAILED, sent.get(0).outcome());
        assertEquals(FailureDetail.UNKNOWN_ERROR, sent.get(0).detail());
        assertTrue(sent.get(0).reason().contains("bug"), sent.get(0).reason());
    }

    @Test
    void aSilencedDeleteSendsNothing() {
        driver.failure = new DriverException(FailureDetail.COPY_FAILED, "cancelled", false, null);
        JobContext context = context();
        DeleteBackupJob job = new DeleteBackupJob(context);
        assertTrue(context.silence("the lease was lost"));
        job.cancel();

        job.run();

        assertEquals(List.of(), sent);
    }

    @Test
    void theRunnerCreatesADeleteJobForTheDeleteKind() {
        assertInstanceOf(DeleteBackupJob.class, JobRunner.jobFor(context()));
    }
}
