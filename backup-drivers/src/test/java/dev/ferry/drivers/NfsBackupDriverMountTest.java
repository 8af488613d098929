package dev.ferry.drivers;

import dev.ferry.messages.FailureDetail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.ferry.drivers.TestTrees.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The NFS driver with real mounts: bind mounts of local folders stand in for NFS exports (the templates are
 * the only difference). Needs root; every test checks that nothing stays mounted.
 */
class NfsBackupDriverMountTest {

    private static final String BIND = "mount --bind %(export)s %(path)s";
    private static final String UNMOUNT = "umount %(path)s";

    @TempDir
    Path tmp;
    Path repositoryExport;
    Path shareExport;
    Path mountRoot;
    NfsDriverConfig bindConfig;
    final MountTable mounts = MountTable.ofThisProcess();

    @BeforeEach
    void folders() throws IOException {
        assumeTrue(TestTrees.isRoot(), "bind mounts need root");
        repositoryExport = Files.createDirectory(tmp.resolve("repository-export"));
        shareExport = Files.createDirectory(tmp.resolve("share-export"));
        mountRoot = tmp.resolve("mnt");
        bindConfig = NfsDriverConfig.defaults(repositoryExport.toString(), mountRoot)
                .withBackupMount(BIND, UNMOUNT, "")
                .withShareMount(BIND, UNMOUNT, "");
    }

    @AfterEach
    void unmountLeftovers() throws Exception {
        if (mountRoot == null) {
            return;
        }
        List<Path> leftovers = new ArrayList<>(mounts.mountPointsUnder(mountRoot));
        for (int i = leftovers.size() - 1; i >= 0; i--) {
            TestTrees.run(List.of("umount", "-l", leftovers.get(i).toString()));
        }
    }

    private void assertNothingMountedAndNoMountPointsLeft() throws IOException {
        assertEquals(Set.of(), mounts.mountPointsUnder(mountRoot), "still mounted under " + mountRoot);
        if (Files.exists(mountRoot)) {
            assertEquals(List.of(), TestTrees.list(mountRoot), "mount points left behind");
        }
    }

    private ShareLocation share() {
        return new ShareLocation("share-1", "NFS", shareExport.toString());
    }

    @Test
    void restoresThroughMountsAndUnmountsEverything() throws Exception {
        write(repositoryExport, "b-1/docs/report.txt", "report");
        write(shareExport, "existing.txt", "kept");
        List<Integer> mountedDuringCopy = new ArrayList<>();
        ProgressListener countMounts = progress -> {
            try {
                mountedDuringCopy.add(mounts.mountPointsUnder(mountRoot).size());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };

        CopyReport report = new NfsBackupDriver(bindConfig).restore(new RestoreRequest("b-1", share()), countMounts,
                new Cancellation());

        assertEquals(1, report.files());
        assertEquals(2, mountedDuringCopy.get(0), "the repository and the share are mounted while copying");
        assertEquals("report", Files.readString(shareExport.resolve("docs/report.txt")));
        assertEquals("kept", Files.readString(shareExport.resolve("existing.txt")));
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void mountsSharesAndTheRepositoryNosuidNodevNosymfollowByDefault() throws Exception {
        String bindWithOptions = "mount --bind %(options)s %(export)s %(path)s";
        NfsDriverConfig safe = NfsDriverConfig.defaults(repositoryExport.toString(), mountRoot)
                .withBackupMount(bindWithOptions, UNMOUNT, NfsDriverConfig.SAFE_MOUNT_OPTIONS)
                .withShareMount(bindWithOptions, UNMOUNT, NfsDriverConfig.SAFE_MOUNT_OPTIONS);
        write(repositoryExport, "b-1/docs/report.txt", "report");
        List<String> options = new ArrayList<>();
        ProgressListener readOptions = progress -> {
            try {
                for (Path mounted : mounts.mountPointsUnder(mountRoot)) {
                    Process findmnt = new ProcessBuilder("findmnt", "-no", "OPTIONS", mounted.toString()).start();
                    options.add(new String(findmnt.getInputStream().readAllBytes()).trim());
                    findmnt.waitFor();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        new NfsBackupDriver(safe).restore(new RestoreRequest("b-1", share()), readOptions, new Cancellation());

        assertEquals("report", Files.readString(shareExport.resolve("docs/report.txt")));
        assertTrue(options.size() >= 2, "both mounts were seen: " + options);
        for (String mountOptions : options) {
            List<String> flags = List.of(mountOptions.split(","));
            assertTrue(flags.containsAll(List.of("nosuid", "nodev", "nosymfollow")), mountOptions);
        }
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void backsUpThroughMountsAndUnmountsEverything() throws Exception {
        write(shareExport, "docs/report.txt", "report");

        new NfsBackupDriver(bindConfig).backup(new BackupRequest("b-2", share()), ProgressListener.ignoring(),
                new Cancellation());

        TreeAssert.assertSameTree(shareExport, repositoryExport.resolve("b-2"));
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void aBrokenShareMountTemplateFailsAsAMountFailureAndUnmountsTheRepository() throws Exception {
        write(repositoryExport, "b-1/f.txt", "f");
        NfsDriverConfig broken = bindConfig.withShareMount("false %(path)s", UNMOUNT, "");

        DriverException failure = assertThrows(DriverException.class, () -> new NfsBackupDriver(broken)
                .restore(new RestoreRequest("b-1", share()), ProgressListener.ignoring(), new Cancellation()));

        assertEquals(FailureDetail.MOUNT_FAILED, failure.detail());
        assertFalse(failure.targetTouched());
        assertTrue(failure.getMessage().contains("`false " + mountRoot), failure.getMessage());
        assertEquals(List.of(), TestTrees.list(shareExport));
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void aBrokenRepositoryMountTemplateFailsAsAMountFailure() throws Exception {
        NfsDriverConfig broken = bindConfig.withBackupMount("false %(path)s", UNMOUNT, "");

        DriverException failure = assertThrows(DriverException.class, () -> new NfsBackupDriver(broken)
                .restore(new RestoreRequest("b-1", share()), ProgressListener.ignoring(), new Cancellation()));

        assertEquals(FailureDetail.MOUNT_FAILED, failure.detail());
        assertTrue(failure.getMessage().contains("the backup repository"), failure.getMessage());
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void aMissingBackupFolderIsReportedAfterUnmounting() throws Exception {
        DriverException failure = assertThrows(DriverException.class, () -> new NfsBackupDriver(bindConfig)
                .restore(new RestoreRequest("b-404", share()), ProgressListener.ignoring(), new Cancellation()));

        assertEquals(FailureDetail.BACKUP_DATA_MISSING, failure.detail());
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void aRestoreCancelledMidCopyUnmountsEverything() throws Exception {
        write(repositoryExport, "b-1/a.txt", "a");
        write(repositoryExport, "b-1/b.txt", "b");
        Cancellation cancellation = new Cancellation();

        DriverException failure = assertThrows(DriverException.class, () -> new NfsBackupDriver(bindConfig)
                .restore(new RestoreRequest("b-1", share()), progress -> cancellation.cancel(), cancellation));

        assertEquals(FailureDetail.COPY_FAILED, failure.detail());
        assertTrue(failure.getMessage().contains("cancelled"), failure.getMessage());
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void anInterruptedRestoreStillUnmountsEverything() throws Exception {
        write(repositoryExport, "b-1/a.txt", "a");
        ProgressListener interruptAtStart = progress -> Thread.currentThread().interrupt();

        DriverException failure;
        try {
            failure = assertThrows(DriverException.class, () -> new NfsBackupDriver(bindConfig)
                    .restore(new RestoreRequest("b-1", share()), interruptAtStart, new Cancellation()));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt must be kept for the caller");
        } finally {
            Thread.interrupted();
        }

        assertEquals(FailureDetail.COPY_FAILED, failure.detail());
        assertTrue(failure.getMessage().contains("interrupted"), failure.getMessage());
        assertNothingMountedAndNoMountPointsLeft();
    }
    @Test
    void deletesThroughAMountAndUnmountsEverything() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        write(outside, "keep.txt", "kept");
        write(repositoryExport, "b-1/docs/report.txt", "report");
        TestTrees.link(repositoryExport, "b-1/docs/outside", outside.toString());
        write(repositoryExport, "b-2/other.txt", "other");
        NfsBackupDriver driver = new NfsBackupDriver(bindConfig);

        driver.delete(new BackupDeleteRequest("b-1"), new Cancellation());
        driver.delete(new BackupDeleteRequest("b-1"), new Cancellation());

        assertEquals(List.of(repositoryExport.resolve("b-2")), TestTrees.list(repositoryExport));
        assertEquals("kept", Files.readString(outside.resolve("keep.txt")));
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void aBrokenRepositoryMountTemplateFailsADeleteAsAMountFailure() throws Exception {
        write(repositoryExport, "b-1/f.txt", "f");
        NfsDriverConfig broken = bindConfig.withBackupMount("false %(path)s", UNMOUNT, "");

        DriverException failure = assertThrows(DriverException.class, () -> new NfsBackupDriver(broken)
                .delete(new BackupDeleteRequest("b-1"), new Cancellation()));

        assertEquals(FailureDetail.MOUNT_FAILED, failure.detail());
        assertTrue(Files.exists(repositoryExport.resolve("b-1/f.txt")));
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void aRemovalErrorIsReportedWithWhatToCheckAndEverythingIsUnmounted() throws Exception {
        write(repositoryExport, "b-1/f.txt", "f");
        NfsDriverConfig readOnly = bindConfig.withBackupMount("mount --bind -o ro %(export)s %(path)s", UNMOUNT, "");

        DriverException failure = assertThrows(DriverException.class, () -> new NfsBackupDriver(readOnly)
                .delete(new BackupDeleteRequest("b-1"), new Cancellation()));

        assertEquals(FailureDetail.COPY_FAILED, failure.detail());
        assertTrue(failure.getMessage().contains("cannot remove"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Check that"), failure.getMessage());
        assertTrue(Files.exists(repositoryExport.resolve("b-1/f.txt")));
        assertNothingMountedAndNoMountPointsLeft();
    }
}
