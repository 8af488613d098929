package dev.ferry.drivers;

import dev.ferry.messages.FailureDetail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static dev.ferry.drivers.TestTrees.link;
import static dev.ferry.drivers.TestTrees.write;
import static dev.ferry.drivers.TestTrees.writeRandom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Subdir share folders in local mode (empty share mount templates), as {@code ferry dev} runs them. */
class SubdirSharesLocalTest {

    @TempDir
    Path tmp;
    Path base;
    SubdirShares shares;

    @BeforeEach
    void folders() throws IOException {
        base = Files.createDirectory(tmp.resolve("base"));
        shares = new SubdirShares(NfsDriverConfig.local(Files.createDirectory(tmp.resolve("repository"))));
    }

    private ShareLocation share(String id) {
        return new ShareLocation(id, "NFS", base + "/" + id);
    }

    @Test
    void theBaseExportIsTheExportPathWithoutTheShareId() throws Exception {
        assertEquals("host:/exports/base", SubdirShares.baseExport(
                new ShareLocation("s-1", "NFS", "host:/exports/base/s-1")));
        assertEquals("/srv/base", SubdirShares.baseExport(new ShareLocation("s-1", "NFS", "/srv/base/s-1/")));
        assertEquals("host:/", SubdirShares.baseExport(new ShareLocation("s-1", "NFS", "host:/s-1")));
        assertEquals("/", SubdirShares.baseExport(new ShareLocation("s-1", "NFS", "/s-1")));
    }

    @Test
    void createsTheFolderWritableForEveryone() throws Exception {
        shares.create(share("s-1"), new Cancellation());

        Path folder = base.resolve("s-1");
        assertTrue(Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS));
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertEquals(List.of(folder), TestTrees.list(base));
    }

    @Test
    void creatingTwiceKeepsTheFolderAndItsContentAndSetsTheModeAgain() throws Exception {
        shares.create(share("s-1"), new Cancellation());
        write(base, "s-1/written-by-a-client.txt", "kept");
        TestTrees.mode(base.resolve("s-1"), "rwx------"); // a crash between mkdir and chmod

        shares.create(share("s-1"), new Cancellation());

        assertEquals("kept", Files.readString(base.resolve("s-1/written-by-a-client.txt")));
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(base.resolve("s-1"))));
    }

    @Test
    void aFileOrLinkInTheWayIsRefusedAndLeftAlone() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        TestTrees.mode(elsewhere, "rwx------");
        link(base, "s-1", elsewhere.toString());
        write(base, "s-2", "a file");

        DriverException linked = assertThrows(DriverException.class,
                () -> shares.create(share("s-1"), new Cancellation()));
        DriverException file = assertThrows(DriverException.class,
                () -> shares.create(share("s-2"), new Cancellation()));

        assertEquals(FailureDetail.SHARE_FOLDER_FAILED, linked.detail());
        assertTrue(linked.getMessage().contains("is not a folder"), linked.getMessage());
        assertEquals(FailureDetail.SHARE_FOLDER_FAILED, file.detail());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(elsewhere)),
                "the link's target was not touched");
        assertEquals("a file", Files.readString(base.resolve("s-2")));
    }

    @Test
    void aMissingBaseExportFailsAsAMountFailure() {
        ShareLocation share = new ShareLocation("s-1", "NFS", tmp.resolve("no-such-base") + "/s-1");

        DriverException failure = assertThrows(DriverException.class,
                () -> shares.create(share, new Cancellation()));

        assertEquals(FailureDetail.MOUNT_FAILED, failure.detail());
        assertTrue(failure.getMessage().contains("no-such-base"), failure.getMessage());
    }

    @Test
    void deletesTheFolderWithoutFollowingLinksAndLeavesOtherSharesAlone() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        write(outside, "keep.txt", "kept");
        write(base, "s-1/docs/report.txt", "report");
        link(base, "s-1/docs/outside", outside.toString());
        link(base, "s-1/outside-file", outside.resolve("keep.txt").toString());
        write(base, "s-2/other.txt", "other");

        shares.delete(share("s-1"), new Cancellation());

        assertEquals(List.of(base.resolve("s-2")), TestTrees.list(base));
        assertEquals("kept", Files.readString(outside.resolve("keep.txt")));
        assertEquals("other", Files.readString(base.resolve("s-2/other.txt")));
    }

    @Test
    void deletingAnAbsentFolderSucceeds() throws Exception {
        shares.delete(share("s-1"), new Cancellation());
        shares.create(share("s-1"), new Cancellation());
        shares.delete(share("s-1"), new Cancellation());
        shares.delete(share("s-1"), new Cancellation());

        assertEquals(List.of(), TestTrees.list(base));
    }

    @Test
    void usedSpaceSumsRegularFilesAndIgnoresSymbolicLinks() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        writeRandom(outside, "big.bin", 5_000_000, 1);
        write(base, "s-1/a.txt", "12345");
        writeRandom(base, "s-1/deep/er/b.bin", 1_000_000, 2);
        Files.createDirectories(base.resolve("s-1/empty"));
        link(base, "s-1/big-file", outside.resolve("big.bin").toString());
        link(base, "s-1/big-folder", outside.toString());
        link(base, "s-1/dangling", "/no/such/target");

        long used = shares.usedBytes(share("s-1"), new Cancellation());

        assertEquals(1_000_005, used);
    }

    @Test
    void anEmptyShareUsesNothing() throws Exception {
        shares.create(share("s-1"), new Cancellation());

        assertEquals(0, shares.usedBytes(share("s-1"), new Cancellation()));
    }

    @Test
    void aShareWhoseExportDoesNotEndWithItsIdIsRefusedAsNotASubdirShare() throws Exception {
        write(base, "elsewhere/f.txt", "f");
        ShareLocation notSubdir = new ShareLocation("s-1", "NFS", base + "/elsewhere");

        DriverException create = assertThrows(DriverException.class,
                () -> shares.create(notSubdir, new Cancellation()));
        DriverException delete = assertThrows(DriverException.class,
                () -> shares.delete(notSubdir, new Cancellation()));
        DriverException prefixOnly = assertThrows(DriverException.class, () -> SubdirShares.baseExport(
                new ShareLocation("s-1", "NFS", base + "/xs-1")));

        for (DriverException failure : List.of(create, delete, prefixOnly)) {
            assertEquals(FailureDetail.SHARE_FOLDER_FAILED, failure.detail());
            assertTrue(failure.getMessage().contains("is not a subdir share"), failure.getMessage());
            assertFalse(failure.targetTouched());
        }
        assertEquals(List.of(base.resolve("elsewhere")), TestTrees.list(base));
        assertEquals("f", Files.readString(base.resolve("elsewhere/f.txt")));
    }

    @Test
    void aShareIdThatCannotNameAFolderIsRefused() {
        for (String id : List.of("..", ".", "")) {
            ShareLocation share = new ShareLocation(id, "NFS", base + "/" + id);
            DriverException failure = assertThrows(DriverException.class,
                    () -> shares.create(share, new Cancellation()));
            assertEquals(FailureDetail.SHARE_FOLDER_FAILED, failure.detail(), id);
        }
    }

    @Test
    void aCancelledJobChangesNothing() throws Exception {
        Cancellation cancelled = new Cancellation();
        cancelled.cancel();
        write(base, "s-2/f.txt", "f");

        assertThrows(DriverException.class, () -> shares.create(share("s-1"), cancelled));
        assertThrows(DriverException.class, () -> shares.delete(share("s-2"), cancelled));
        assertThrows(DriverException.class, () -> shares.usedBytes(share("s-2"), cancelled));

        assertEquals(List.of(base.resolve("s-2")), TestTrees.list(base));
    }
}
