package dev.ferry.drivers;

import dev.ferry.messages.FailureDetail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.ferry.drivers.TestTrees.OLD_TIME;
import static dev.ferry.drivers.TestTrees.link;
import static dev.ferry.drivers.TestTrees.mode;
import static dev.ferry.drivers.TestTrees.mtime;
import static dev.ferry.drivers.TestTrees.write;
import static dev.ferry.drivers.TestTrees.writeRandom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The NFS driver in local mode (empty mount templates), as {@code ferry dev} runs it. */
class NfsBackupDriverLocalTest {

    @TempDir
    Path tmp;
    Path repository;
    Path shareA;
    Path shareB;
    NfsBackupDriver driver;

    @BeforeEach
    void folders() throws IOException {
        repository = Files.createDirectory(tmp.resolve("repository"));
        shareA = Files.createDirectory(tmp.resolve("share-a"));
        shareB = Files.createDirectory(tmp.resolve("share-b"));
        driver = new NfsBackupDriver(NfsDriverConfig.local(repository));
    }

    private ShareLocation nfsShare(String id, Path export) {
        return new ShareLocation(id, "NFS", export.toString());
    }

    private void fillShareA() throws IOException {
        write(shareA, "docs/report.txt", "quarterly report");
        writeRandom(shareA, "data/blob.bin", 1_000_000, 7);
        link(shareA, "latest", "docs/report.txt");
        mode(write(shareA, "docs/private.txt", "private"), "rw-------");
        write(shareA, "lost+found/fsck-debris", "never backed up");
        mtime(shareA.resolve("docs"), OLD_TIME);
    }

    @Test
    void statesTheNfsDriversCapabilities() {
        assertTrue(driver.useDataManager());
        assertTrue(driver.supportRestoreToTarget());
        assertTrue(driver.supportsRestore("NFS", "NFS"));
        assertTrue(driver.supportsRestore("nfs", "Nfs"));
        assertFalse(driver.supportsRestore("NFS", "CIFS"));
        assertFalse(driver.supportsRestore("CIFS", "NFS"));
        assertTrue(driver.supportsBackup("nfs"));
        assertFalse(driver.supportsBackup("CEPHFS"));
        assertFalse(new NfsBackupDriver(NfsDriverConfig.local(repository).withRestoreToTarget(false))
                .supportRestoreToTarget());
    }

    @Test
    void backsUpAShareAndRestoresItIntoAnotherShare() throws Exception {
        fillShareA();
        TreeSnapshot expected = TreeSnapshot.of(shareA).without("lost+found");
        List<CopyProgress> progress = new ArrayList<>();

        CopyReport backup = driver.backup(new BackupRequest("b-1", nfsShare("share-a", shareA)), progress::add,
                new Cancellation());
        CopyReport restore = driver.restore(new RestoreRequest("b-1", nfsShare("share-b", shareB)), progress::add,
                new Cancellation());

        TreeAssert.assertSnapshot(expected, repository.resolve("b-1"));
        TreeAssert.assertSnapshot(expected, shareB);
        assertEquals(new CopyReport(3, 2, 1, 1_000_000 + 16 + 7, 0, 0, 0, 0, null, 0, null, true), backup);
        assertEquals(new CopyReport(3, 2, 1, 1_000_000 + 16 + 7, 0), restore);
        assertEquals(100, progress.get(progress.size() - 1).percent());
    }

    @Test
    void aNewBackupReplacesAnOldFolderOfTheSameId() throws Exception {
        write(repository, "b-1/stale.txt", "from an earlier attempt");
        write(shareA, "fresh.txt", "fresh");

        driver.backup(new BackupRequest("b-1", nfsShare("share-a", shareA)), ProgressListener.ignoring(),
                new Cancellation());

        TreeAssert.assertSameTree(shareA, repository.resolve("b-1"));
    }

    @Test
    void restoringABackupWhoseDataIsMissingFailsWithoutTouchingTheTarget() throws Exception {
        write(shareB, "existing.txt", "the user's data");
        TreeSnapshot before = TreeSnapshot.of(shareB);

        DriverException failure = assertThrows(DriverException.class, () -> driver.restore(
                new RestoreRequest("no-such-backup", nfsShare("share-b", shareB)), ProgressListener.ignoring(),
                new Cancellation()));

        assertEquals(FailureDetail.BACKUP_DATA_MISSING, failure.detail());
        assertFalse(failure.targetTouched());
        assertTrue(failure.getMessage().contains("no-such-backup"), failure.getMessage());
        TreeAssert.assertSnapshot(before, shareB);
    }

    @Test
    void aLocalShareFolderThatDoesNotExistIsAMountFailure() throws Exception {
        write(repository, "b-1/f.txt", "f");

        DriverException failure = assertThrows(DriverException.class, () -> driver.restore(
                new RestoreRequest("b-1", nfsShare("share-x", tmp.resolve("missing"))), ProgressListener.ignoring(),
                new Cancellation()));

        assertEquals(FailureDetail.MOUNT_FAILED, failure.detail());
        assertFalse(failure.targetTouched());
        assertTrue(failure.getMessage().contains("local mode"), failure.getMessage());
    }

    @Test
    void refusesToBackUpANonNfsShare() {
        DriverException failure = assertThrows(DriverException.class, () -> driver.backup(
                new BackupRequest("b-1", new ShareLocation("s", "CIFS", shareA.toString())),
                ProgressListener.ignoring(), new Cancellation()));

        assertEquals(FailureDetail.SHARE_PROTOCOL_UNSUPPORTED, failure.detail());
    }

    @Test
    void aCancelledRestoreIsACopyFailureThatSaysSo() throws Exception {
        write(repository, "b-1/f.txt", "f");
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();

        DriverException failure = assertThrows(DriverException.class, () -> driver.restore(
                new RestoreRequest("b-1", nfsShare("share-b", shareB)), ProgressListener.ignoring(), cancellation));

        assertEquals(FailureDetail.COPY_FAILED, failure.detail());
        assertTrue(failure.getMessage().contains("cancelled"), failure.getMessage());
        assertFalse(failure.targetTouched());
        assertEquals(List.of(), TestTrees.list(shareB));
    }

    @Test
    void aRestoreThatFailsAfterWritingReportsTheTargetAsTouched() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestTrees.isRoot(), "mounting a small tmpfs needs root");
        writeRandom(repository.resolve("b-1"), "big.bin", 2 * 1024 * 1024, 5);
        try (SmallTmpfs small = SmallTmpfs.mount(shareB, "256k")) {
            DriverException failure = assertThrows(DriverException.class, () -> driver.restore(
                    new RestoreRequest("b-1", nfsShare("share-b", shareB)), ProgressListener.ignoring(),
                    new Cancellation()));

            assertEquals(FailureDetail.COPY_FAILED, failure.detail());
            assertTrue(failure.targetTouched());
            assertTrue(failure.getMessage().startsWith("Restore of backup b-1 into share share-b failed"),
                    failure.getMessage());
        }
    }

    @Test
    void deleteRemovesTheBackupFolderAndItsWholeTreeWithoutFollowingLinks() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        write(outside, "keep.txt", "not the backup's");
        write(repository, "b-1/docs/report.txt", "report");
        mode(write(repository, "b-1/docs/private.txt", "private"), "r--------");
        Files.createDirectories(repository.resolve("b-1/empty/deeper"));
        link(repository, "b-1/to-outside-dir", outside.toString());
        link(repository, "b-1/docs/to-outside-file", outside.resolve("keep.txt").toString());
        link(repository, "b-1/dangling", "no/such/thing");
        write(repository, "b-2/other.txt", "another backup");

        driver.delete(new BackupDeleteRequest("b-1"), new Cancellation());

        assertFalse(Files.exists(repository.resolve("b-1"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("not the backup's", Files.readString(outside.resolve("keep.txt")));
        assertEquals(List.of(outside.resolve("keep.txt")), TestTrees.list(outside));
        assertEquals("another backup", Files.readString(repository.resolve("b-2/other.txt")));
    }

    @Test
    void deletingABackupWhoseFolderIsMissingSucceedsSoDeletingTwiceIsHarmless() throws Exception {
        write(repository, "b-1/f.txt", "f");

        driver.delete(new BackupDeleteRequest("b-1"), new Cancellation());
        driver.delete(new BackupDeleteRequest("b-1"), new Cancellation());
        driver.delete(new BackupDeleteRequest("never-existed"), new Cancellation());

        assertEquals(List.of(), TestTrees.list(repository));
    }

    @Test
    void deleteRefusesAnUnsafeBackupIdAndTouchesNothing() throws Exception {
        write(repository, "b-1/f.txt", "f");
        write(tmp, "sibling/f.txt", "outside the repository");
        TreeSnapshot before = TreeSnapshot.of(tmp);

        for (String unsafe : List.of("", ".", "..", "../sibling", "b-1/..", "a\0b")) {
            DriverException failure = assertThrows(DriverException.class,
                    () -> driver.delete(new BackupDeleteRequest(unsafe), new Cancellation()), unsafe);
            assertEquals(FailureDetail.UNKNOWN_ERROR, failure.detail());
            assertTrue(failure.getMessage().contains("cannot name a folder"), failure.getMessage());
        }
        TreeAssert.assertSnapshot(before, tmp);
    }

    @Test
    void deleteOfABackupFolderThatIsASymlinkRemovesOnlyTheLink() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        write(outside, "keep.txt", "kept");
        link(repository, "b-1", outside.toString());

        driver.delete(new BackupDeleteRequest("b-1"), new Cancellation());

        assertEquals(List.of(), TestTrees.list(repository));
        assertEquals("kept", Files.readString(outside.resolve("keep.txt")));
    }

    @Test
    void aRepositoryThatDoesNotExistIsAMountFailureOnDelete() {
        NfsBackupDriver missing = new NfsBackupDriver(NfsDriverConfig.local(tmp.resolve("no-repository")));

        DriverException failure = assertThrows(DriverException.class,
                () -> missing.delete(new BackupDeleteRequest("b-1"), new Cancellation()));

        assertEquals(FailureDetail.MOUNT_FAILED, failure.detail());
        assertTrue(failure.getMessage().startsWith("Deletion of backup b-1 failed"), failure.getMessage());
    }
}
