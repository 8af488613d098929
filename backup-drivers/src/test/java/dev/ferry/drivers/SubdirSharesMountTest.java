package dev.ferry.drivers;

import dev.ferry.messages.FailureDetail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.ferry.drivers.TestTrees.link;
import static dev.ferry.drivers.TestTrees.write;
import static dev.ferry.drivers.TestTrees.writeRandom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Subdir share folders through real mounts: bind mounts of local folders stand in for NFS exports. Needs root;
 * every test checks that nothing stays mounted.
 */
class SubdirSharesMountTest {

    private static final String BIND = "mount --bind %(export)s %(path)s";
    private static final String UNMOUNT = "umount %(path)s";

    @TempDir
    Path tmp;
    Path base;
    Path mountRoot;
    NfsDriverConfig bindConfig;
    final MountTable mounts = MountTable.ofThisProcess();

    @BeforeEach
    void folders() throws IOException {
        assumeTrue(TestTrees.isRoot(), "bind mounts need root");
        base = Files.createDirectory(tmp.resolve("base-export"));
        mountRoot = tmp.resolve("mnt");
        // the repository is never mounted by SubdirShares; only the share templates matter
        bindConfig = NfsDriverConfig.defaults(Files.createDirectory(tmp.resolve("repository")).toString(), mountRoot)
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

    private ShareLocation share(String id) {
        return new ShareLocation(id, "NFS", base + "/" + id);
    }

    @Test
    void createsTheFolderThroughAMountOfTheBaseExportTwiceAndUnmounts() throws Exception {
        SubdirShares shares = new SubdirShares(bindConfig);

        shares.create(share("s-1"), new Cancellation());
        write(base, "s-1/f.txt", "kept");
        shares.create(share("s-1"), new Cancellation());

        assertTrue(Files.isDirectory(base.resolve("s-1"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(base.resolve("s-1"))));
        assertEquals("kept", Files.readString(base.resolve("s-1/f.txt")));
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void deletesTheFolderThroughAMountWithoutFollowingLinksAndUnmounts() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        write(outside, "keep.txt", "kept");
        write(base, "s-1/docs/report.txt", "report");
        link(base, "s-1/docs/outside", outside.toString());
        write(base, "s-2/other.txt", "other");
        SubdirShares shares = new SubdirShares(bindConfig);

        shares.delete(share("s-1"), new Cancellation());
        shares.delete(share("s-1"), new Cancellation());

        assertEquals(List.of(base.resolve("s-2")), TestTrees.list(base));
        assertEquals("kept", Files.readString(outside.resolve("keep.txt")));
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void measuresUsedSpaceThroughAMountOfTheSharesOwnExportIgnoringLinks() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        writeRandom(outside, "big.bin", 3_000_000, 1);
        writeRandom(base, "s-1/data/a.bin", 200_000, 2);
        write(base, "s-1/b.txt", "abc");
        link(base, "s-1/big", outside.resolve("big.bin").toString());
        link(base, "s-1/all", outside.toString());
        writeRandom(base, "s-2/not-counted.bin", 400_000, 3);

        long used = new SubdirShares(bindConfig).usedBytes(share("s-1"), new Cancellation());

        assertEquals(200_003, used);
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void aBrokenMountTemplateFailsAsAMountFailureAndLeavesNoMountPoint() throws Exception {
        SubdirShares broken = new SubdirShares(bindConfig.withShareMount("false %(path)s", UNMOUNT, ""));

        DriverException failure = assertThrows(DriverException.class,
                () -> broken.create(share("s-1"), new Cancellation()));

        assertEquals(FailureDetail.MOUNT_FAILED, failure.detail());
        assertTrue(failure.getMessage().contains("the base export of share s-1"), failure.getMessage());
        assertEquals(List.of(), TestTrees.list(base));
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void aReadOnlyBaseExportFailsTheCreateWithWhatToCheckAndUnmounts() throws Exception {
        SubdirShares readOnly = new SubdirShares(
                bindConfig.withShareMount("mount --bind -o ro %(export)s %(path)s", UNMOUNT, ""));

        DriverException failure = assertThrows(DriverException.class,
                () -> readOnly.create(share("s-1"), new Cancellation()));

        assertEquals(FailureDetail.SHARE_FOLDER_FAILED, failure.detail());
        assertTrue(failure.getMessage().contains("Check that"), failure.getMessage());
        assertEquals(List.of(), TestTrees.list(base));
        assertNothingMountedAndNoMountPointsLeft();
    }

    @Test
    void aNonSubdirShareIsRefusedBeforeMountingAnything() throws Exception {
        DriverException failure = assertThrows(DriverException.class, () -> new SubdirShares(bindConfig)
                .create(new ShareLocation("s-1", "NFS", base.toString()), new Cancellation()));

        assertEquals(FailureDetail.SHARE_FOLDER_FAILED, failure.detail());
        assertTrue(failure.getMessage().contains("is not a subdir share"), failure.getMessage());
        assertEquals(List.of(), TestTrees.list(base));
        assertNothingMountedAndNoMountPointsLeft();
    }
}
