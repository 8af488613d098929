package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.drivers.BackupDriver;
import dev.ferry.drivers.BackupRequest;
import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyReport;
import dev.ferry.drivers.DriverException;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.drivers.RestoreRequest;
import dev.ferry.drivers.VerifyReport;
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

/**
 * {@code verify_backup} on the data node with a fake driver: the transitions that carry the result (a success when
 * sound, a DAMAGED_FILES failure with the count and the first paths otherwise), a driver's refusal, and a backup's
 * creation carrying {@code manifest_written}.
 */
class VerifyBackupJobTest {
    private static final BackupRow BACKUP = new BackupRow("b1", "u", "p", "source", 1, null, "manila-data", null,
            null, "100", "0", "available", null, null, null, null, null);
    private static final ShareInfo SOURCE = new ShareInfo("source", "p", "NFS", 1, "/exports/source");

    /** A driver whose verify answers what the test sets, and whose backup reports a manifest. */
    private static final class FakeDriver implements BackupDriver {
        VerifyReport report = new VerifyReport(3, 300, 0, List.of());
        DriverException failure;
        final List<String> verified = new ArrayList<>();
        Cancellation cancellationSeen;
        boolean manifestWritten = true;

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
            return new CopyReport(2, 1, 0, 10, 0, 0, 0, 0, null, 0, null, manifestWritten);
        }

        @Override
        public CopyReport restore(RestoreRequest request, ProgressListener progress, Cancellation cancellation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public VerifyReport verify(String backupId, ProgressListener progress, Cancellation cancellation)
                throws DriverException {
            verified.add(backupId);
            cancellationSeen = cancellation;
            if (failure != null) {
                throw failure;
            }
            return report;
        }
    }

    private final List<Transition> sent = new ArrayList<>();
    private final FakeDriver driver = new FakeDriver();

    private JobContext context(JobKind kind) {
        Grant grant = new Grant("job-1", 2, kind, BACKUP, kind == JobKind.CREATE_BACKUP ? SOURCE : null, null, 30);
        return new JobContext(grant, driver, (t, requestId) -> sent.add(t), "node-1", "req-1", Duration.ZERO);
    }

    @Test
    void aSoundBackupSucceeds() {
        VerifyBackupJob job = new VerifyBackupJob(context(JobKind.VERIFY_BACKUP));
        job.run();

        assertEquals(List.of("b1"), driver.verified);
        assertSame(job.cancellation(), driver.cancellationSeen, "a cancel (a delete of the backup) reaches the driver");
        assertEquals(1, sent.size());
        assertEquals(Outcome.SUCCEEDED, sent.get(0).outcome());
        assertEquals("job-1", sent.get(0).jobId());
        assertEquals(2, sent.get(0).epoch());
        assertFalse(sent.get(0).manifestWritten());
    }

    @Test
    void damagedFilesFailWithTheirCountAndTheFirstPaths() {
        driver.report = new VerifyReport(120, 4096, 12, List.of("docs/a.txt", "b.bin"));

        new VerifyBackupJob(context(JobKind.VERIFY_BACKUP)).run();

        assertEquals(1, sent.size());
        Transition failed = sent.get(0);
        assertEquals(Outcome.FAILED, failed.outcome());
        assertEquals(FailureDetail.DAMAGED_FILES, failed.detail());
        assertEquals("12 of 120 files of backup b1 are damaged or missing in the backup repository; the first: "
                + "docs/a.txt, b.bin. A restore writes every other file and none of these.", failed.reason());
        assertFalse(failed.targetTouched());
        ObjectNode wire = failed.toRequest(null).args();
        assertEquals("912", wire.path("detail_id").asText());
        assertEquals("failed", wire.path("outcome").asText());
        assertEquals(failed.reason(), wire.path("reason").asText());
    }

    @Test
    void allDamagedFilesNamedNeedNoFirst() {
        driver.report = new VerifyReport(5, 10, 1, List.of("gone.txt"));

        new VerifyBackupJob(context(JobKind.VERIFY_BACKUP)).run();

        assertEquals("1 of 5 files of backup b1 is damaged or missing in the backup repository: gone.txt. A restore "
                + "writes every other file and none of these.", sent.get(0).reason());
    }

    @Test
    void aBackupWithoutAManifestFailsWithTheDriversRefusal() {
        driver.failure = new DriverException(FailureDetail.NO_MANIFEST, "Backup b1 has no manifest", false, null);

        new VerifyBackupJob(context(JobKind.VERIFY_BACKUP)).run();

        assertEquals(Outcome.FAILED, sent.get(0).outcome());
        assertEquals(FailureDetail.NO_MANIFEST, sent.get(0).detail());
        assertEquals("Backup b1 has no manifest", sent.get(0).reason());
    }

    @Test
    void aVerifyEndedByTheApiSendsNothing() {
        driver.failure = new DriverException(FailureDetail.UNKNOWN_ERROR, "cancelled", false, null);
        JobContext context = context(JobKind.VERIFY_BACKUP);
        VerifyBackupJob job = new VerifyBackupJob(context);
        assertTrue(context.silence("the api-gateway ended the job"));
        job.cancel();

        job.run();

        assertTrue(job.cancellation().isCancelled());
        assertEquals(List.of(), sent);
    }

    @Test
    void theRunnerCreatesAVerifyJobForTheVerifyKind() {
        assertInstanceOf(VerifyBackupJob.class, JobRunner.jobFor(context(JobKind.VERIFY_BACKUP)));
    }

    @Test
    void aCreatedBackupSaysWhetherItsManifestWasWritten() {
        new CreateBackupJob(context(JobKind.CREATE_BACKUP)).run();
        driver.manifestWritten = false;
        new CreateBackupJob(context(JobKind.CREATE_BACKUP)).run();

        assertEquals(2, sent.size());
        assertEquals(Outcome.SUCCEEDED, sent.get(0).outcome());
        assertTrue(sent.get(0).manifestWritten());
        assertTrue(sent.get(0).toRequest(null).args().path("manifest_written").asBoolean());
        assertFalse(sent.get(1).manifestWritten());
        assertFalse(sent.get(1).toRequest(null).args().has("manifest_written"));
    }
}
