package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.drivers.BackupDriver;
import dev.ferry.drivers.BackupRequest;
import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyProgress;
import dev.ferry.drivers.CopyReport;
import dev.ferry.drivers.DriverException;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.drivers.RestoreRequest;
import dev.ferry.drivers.RestoreSelection;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.CopyCounters;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RestoreScope;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc.Grant;
import dev.ferry.messages.StatusRpc.Outcome;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreBackupJobTest {
    private static final BackupRow BACKUP = new BackupRow("b1", "u", "p", "source", 1, null, "manila-data", null,
            null, "100", "0", "restoring", null, null, null, null, null);
    private static final ShareInfo SOURCE = new ShareInfo("source", "p", "NFS", 1, "/exports/source");

    /** A driver that records what it was asked and does what the test says. */
    private static final class FakeDriver implements BackupDriver {
        final List<RestoreRequest> restores = new ArrayList<>();
        boolean restoreToTarget = true;
        DriverException failure;
        CopyReport report = new CopyReport(2, 1, 0, 100, 0);

        @Override
        public boolean useDataManager() {
            return true;
        }

        @Override
        public boolean supportRestoreToTarget() {
            return restoreToTarget;
        }

        @Override
        public boolean supportsRestore(String backupProtocol, String targetProtocol) {
            return "NFS".equalsIgnoreCase(backupProtocol) && "NFS".equalsIgnoreCase(targetProtocol);
        }

        @Override
        public boolean supportsBackup(String shareProtocol) {
            return "NFS".equalsIgnoreCase(shareProtocol);
        }

        @Override
        public CopyReport backup(BackupRequest request, ProgressListener progress, Cancellation cancellation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CopyReport restore(RestoreRequest request, ProgressListener progress, Cancellation cancellation)
                throws DriverException {
            restores.add(request);
            progress.onProgress(new CopyProgress(50, 100, 1, 2));
            if (failure != null) {
                throw failure;
            }
            progress.onProgress(new CopyProgress(100, 100, 2, 2));
            return report;
        }
    }

    private final List<Transition> sent = new ArrayList<>();
    private final FakeDriver driver = new FakeDriver();

    private final List<String> announced = new ArrayList<>();

    private void run(ShareInfo target) {
        run(target, true);
    }

    /** {@code mayWrite}: what the api-gateway answers when the job announces its first write. */
    private void run(ShareInfo target, boolean mayWrite) {
        run(new Grant("job-1", 3, JobKind.RESTORE, BACKUP, SOURCE, target, 30), mayWrite);
    }

    private void run(Grant grant, boolean mayWrite) {
        JobContext context = new JobContext(grant, driver, (t, requestId) -> sent.add(t), "node-1", "req-1",
                Duration.ZERO);
        context.announceWritingThrough(() -> {
            announced.add("begin_writing with " + driver.restores.size() + " restores started");
            return mayWrite;
        });
        new RestoreBackupJob(context).run();
    }

    @Test
    void theRestoreAnnouncesItsFirstWriteBeforeTheDriverCopies() {
        run(new ShareInfo("target", "p", "nfs", 2, "/exports/target"));
        assertEquals(List.of("begin_writing with 0 restores started"), announced);
        assertEquals(1, driver.restores.size());
    }

    @Test
    void aRestoreTheApiGatewayNoLongerLetsWriteCopiesNothingAndReportsNothing() {
        run(new ShareInfo("target", "p", "nfs", 2, "/exports/target"), false);
        assertEquals(List.of(), driver.restores, "a cancelled job writes nothing");
        assertEquals(List.of(), sent, "its outcome is the cancel's, not the node's");
    }

    @Test
    void aRefusedRestoreAnnouncesNothing() {
        run(new ShareInfo("target", "p", "cifs", 2, "/exports/target"));
        assertEquals(List.of(), announced, "nothing will be written, so nothing is announced");
    }

    private Transition last() {
        return sent.get(sent.size() - 1);
    }

    @Test
    void outOfPlaceRestoreRunsThroughTheDriverAndSucceeds() {
        run(new ShareInfo("target", "p", "nfs", 2, "/exports/target"));
        assertEquals(1, driver.restores.size());
        assertEquals("target", driver.restores.get(0).target().shareId());
        assertEquals("/exports/target", driver.restores.get(0).target().exportPath());
        assertEquals(Outcome.SUCCEEDED, last().outcome());
        assertEquals(3, last().epoch(), "transitions quote the grant's epoch");
        assertTrue(sent.stream().anyMatch(t -> t.outcome() == Outcome.PROGRESS && t.progress() == 50));
    }

    @Test
    void targetedRestoreWithoutTheCapabilityFailsBeforeTouchingData() {
        driver.restoreToTarget = false;
        run(new ShareInfo("target", "p", "NFS", 2, "/exports/target"));
        assertEquals(List.of(), driver.restores);
        assertEquals(Outcome.FAILED, last().outcome());
        assertEquals(FailureDetail.TARGETED_RESTORE_UNSUPPORTED, last().detail());
        assertFalse(last().targetTouched());
        assertEquals("Cannot restore backup b1 to target share target as backup driver does not provide support "
                + "for targeted restores", last().reason());
    }

    @Test
    void inPlaceRestoreNeedsNoCapability() {
        driver.restoreToTarget = false;
        run(SOURCE);
        assertEquals(1, driver.restores.size());
        assertEquals(Outcome.SUCCEEDED, last().outcome());
    }

    @Test
    void unsupportedProtocolPairFailsBeforeTouchingData() {
        run(new ShareInfo("target", "p", "CIFS", 2, "//server/share"));
        assertEquals(List.of(), driver.restores);
        assertEquals(FailureDetail.PROTOCOL_PAIR_UNSUPPORTED, last().detail());
        assertFalse(last().targetTouched());
        assertTrue(last().reason().contains("CIFS"), last().reason());
    }

    @Test
    void aCopyThatFailsPartWayReportsTheTargetTouched() {
        driver.failure = new DriverException(FailureDetail.COPY_FAILED, "disk full", true, null);
        run(new ShareInfo("target", "p", "NFS", 2, "/exports/target"));
        assertEquals(Outcome.FAILED, last().outcome());
        assertEquals(FailureDetail.COPY_FAILED, last().detail());
        assertTrue(last().targetTouched());
    }

    @Test
    void progressIsThrottledAndNeverReports100BeforeSuccess() {
        List<Transition> throttled = new ArrayList<>();
        ManualClock clock = new ManualClock();
        ThrottledProgress progress = new ThrottledProgress((t, r) -> throttled.add(t), "j", 1, "n", "r",
                Duration.ofSeconds(2), clock);
        progress.onProgress(new CopyProgress(10, 100, 0, 1));
        progress.onProgress(new CopyProgress(20, 100, 0, 1));
        clock.millis = 2_000;
        progress.onProgress(new CopyProgress(100, 100, 1, 1));
        assertEquals(List.of(10, 99), throttled.stream().map(Transition::progress).toList());
    }

    private static final class ManualClock extends java.time.Clock {
        long millis;

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }
    }

    private static final ShareInfo TARGET = new ShareInfo("target", "p", "NFS", 2, "/exports/target");

    @Test
    void theGrantsSelectionAndAttemptReachTheDriversRequest() {
        run(new Grant("job-1", 3, JobKind.RESTORE, BACKUP, SOURCE, TARGET, 30)
                .withRestoreSelection(new RestoreScope(List.of("docs", "notes/a.txt"), "if-changed", true))
                .withAttempt(2), true);
        RestoreRequest request = driver.restores.get(0);
        assertEquals(new RestoreSelection(List.of("docs", "notes/a.txt"), RestoreSelection.Overwrite.IF_CHANGED, true),
                request.selection());
        assertTrue(request.resumed(), "a second attempt resumes the first");
        assertEquals("b1", request.backupId());
    }

    @Test
    void aGrantWithoutSelectionIsManilasWholeRestoreAndAFirstAttemptDoesNotResume() {
        run(TARGET);
        RestoreRequest request = driver.restores.get(0);
        assertEquals(RestoreSelection.WHOLE, request.selection());
        assertFalse(request.resumed());
    }

    @Test
    void everyOverwritePolicyOfTheWireIsOneTheDriverKnows() {
        for (String name : RestoreScope.OVERWRITE_POLICIES) {
            RestoreSelection selection = GrantedRestore.selection(new RestoreScope(List.of("a"), name, false));
            assertEquals(name, selection.overwrite().wireName());
        }
        assertEquals(RestoreScope.OVERWRITE_POLICIES.size(), RestoreSelection.Overwrite.values().length);
    }

    @Test
    void aSuccessCarriesTheAttemptsCounters() {
        driver.report = new CopyReport(7, 2, 1, 7000, 0, 3, 3000, 0, null, 0, null, false);
        run(TARGET);
        assertEquals(Outcome.SUCCEEDED, last().outcome());
        assertEquals(new CopyCounters(7, 3, 7000, 3000, 0, 0), last().counters());
        assertNull(last().detail(), "nothing to tell the user");
    }

    @Test
    void damagedRepositoryFilesFailTheRestoreNamingHowManyAndTheFirst() {
        driver.report = new CopyReport(5, 1, 0, 5000, 0, 0, 0, 2, "docs/broken.txt", 0, null, false);
        run(TARGET);
        assertEquals(Outcome.FAILED, last().outcome());
        assertEquals(FailureDetail.DAMAGED_FILES, last().detail());
        assertTrue(last().targetTouched(), "the sound files were restored into the target");
        assertEquals("2 files were not restored; the first is \"docs/broken.txt\". The other files were restored. "
                + "Verify the backup, and restore these files from another backup.", last().reason());
        assertEquals(new CopyCounters(5, 0, 5000, 0, 2, 0), last().counters());
    }

    @Test
    void attributesTheTargetRefusedAreANoticeOnASuccess() {
        driver.report = new CopyReport(3, 1, 0, 300, 0, 0, 0, 0, null, 4, "a.txt (user.tag)", false);
        run(TARGET);
        assertEquals(Outcome.SUCCEEDED, last().outcome());
        assertEquals(FailureDetail.METADATA_DROPPED, last().detail());
        assertEquals("4 extended attributes or ACLs were left out; the first: a.txt (user.tag).", last().reason());
        assertEquals(new CopyCounters(3, 0, 300, 0, 0, 4), last().counters());
    }
}
