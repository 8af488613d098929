package dev.ferry.drivers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A starting node unmounts what a dead process left under the mount root, with real bind mounts. Needs root;
 * whatever a test leaves mounted is unmounted afterwards, and /proc/self/mounts is checked to be clean.
 */
class StaleMountCleanerTest {

    private static final String BIND = "mount --bind %(export)s %(path)s";

    @TempDir
    Path tmp;
    Path export;
    Path mountRoot;
    final MountTable mounts = MountTable.ofThisProcess();
    final CommandRunner runner = new CommandRunner(Duration.ofSeconds(30));

    @BeforeEach
    void folders() throws IOException {
        assumeTrue(TestTrees.isRoot(), "bind mounts need root");
        export = Files.createDirectory(tmp.resolve("export"));
        Files.createDirectory(export.resolve("inner"));
        Files.writeString(export.resolve("data.txt"), "share data");
        mountRoot = Files.createDirectory(tmp.resolve("mnt"));
    }

    @AfterEach
    void unmountLeftoversAndCheckTheMountTable() throws Exception {
        if (mountRoot == null) {
            return;
        }
        List<Path> leftovers = new ArrayList<>(mounts.mountPointsUnder(tmp));
        for (int i = leftovers.size() - 1; i >= 0; i--) {
            TestTrees.run(List.of("umount", "-l", leftovers.get(i).toString()));
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
            assertFalse(line.contains(tmp.toString()), "still mounted: " + line);
        }
    }

    private NfsDriverConfig config(String shareUnmount, String backupUnmount) {
        return NfsDriverConfig.defaults("host:/backups", mountRoot)
                .withShareMount(BIND, shareUnmount, "")
                .withBackupMount(BIND, backupUnmount, "-o ro");
    }

    private Path bindMount(String name) throws Exception {
        Path point = Files.createDirectories(mountRoot.resolve(name));
        TestTrees.run(List.of("mount", "--bind", export.toString(), point.toString()));
        return point;
    }

    /** An owner that has exited: a finished child process. */
    private static MountOwner deadOwner() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return new MountOwner(process.pid(), 0);
    }

    @Test
    void unmountsWhatDeadProcessesLeftAndKeepsWhatLiveOnesUse() throws Exception {
        Path deadShare = bindMount("share-s1-123");
        deadOwner().writeFor(deadShare);
        Path unknownBackup = bindMount("backup-b1-456");
        Path nested = bindMount("share-s3-789");
        TestTrees.run(List.of("mount", "--bind", export.toString(), nested.resolve("inner").toString()));
        deadOwner().writeFor(nested);
        Path foreign = bindMount("by-hand");
        Path live = bindMount("share-s2-000");
        MountOwner.thisProcess().writeFor(live);
        Path emptyLeftover = Files.createDirectory(mountRoot.resolve("backup-b2-111"));
        deadOwner().writeFor(emptyLeftover);
        Path ownerWithoutFolder = mountRoot.resolve("share-s4-222");
        deadOwner().writeFor(ownerWithoutFolder);

        int unmounted = new StaleMountCleaner(config("umount %(path)s", "umount -v %(path)s"), runner, mounts)
                .cleanUp();

        assertEquals(5, unmounted, "share-s1, backup-b1, both mounts of share-s3, by-hand");
        assertEquals(Set.of(live), mounts.mountPointsUnder(mountRoot), "only the live node's mount stays");
        assertEquals(List.of(live, MountOwner.fileFor(live)), TestTrees.list(mountRoot),
                "stale mount points and owner files are removed");
        assertEquals("share data", Files.readString(live.resolve("data.txt")));
        assertTrue(Files.exists(export.resolve("data.txt")), "the export's content is untouched");
    }

    @Test
    void aMountPointThatIsNotEmptyStaysAfterItsUnmount() throws Exception {
        Path point = Files.createDirectories(mountRoot.resolve("share-s5-333"));
        Files.writeString(point.resolve("hidden.txt"), "under the mount");
        TestTrees.run(List.of("mount", "--bind", export.toString(), point.toString()));

        new StaleMountCleaner(config("umount %(path)s", "umount %(path)s"), runner, mounts).cleanUp();

        assertEquals(Set.of(), mounts.mountPointsUnder(mountRoot));
        assertEquals("under the mount", Files.readString(point.resolve("hidden.txt")), "never deleted recursively");
    }

    @Test
    void choosesTheUnmountTemplateByTheMountPointsName() {
        StaleMountCleaner cleaner = new StaleMountCleaner(config("umount -f %(path)s", "umount -v %(options)s %(path)s"),
                runner, mounts);
        Path point = mountRoot.resolve("x");

        assertEquals(List.of("umount", "-f", point.toString()), cleaner.unmountCommand("share-a-1", point));
        assertEquals(List.of("umount", "-v", "-o", "ro", point.toString()), cleaner.unmountCommand("backup-b-1", point));
        assertEquals(List.of("umount", point.toString()), cleaner.unmountCommand("something-else", point));
        StaleMountCleaner needsExport = new StaleMountCleaner(config("fusermount -u %(export)s %(path)s",
                "umount %(path)s"), runner, mounts);
        assertEquals(List.of("umount", point.toString()), needsExport.unmountCommand("share-a-1", point),
                "a template that needs the export falls back to umount");
    }

    @Test
    void ownersAreRunningOnlyWithTheirOwnStartTime() throws Exception {
        MountOwner self = MountOwner.thisProcess();
        Path point = Files.createDirectory(mountRoot.resolve("share-s6-444"));
        self.writeFor(point);

        assertEquals(self, MountOwner.readFor(point).orElseThrow());
        assertTrue(self.isRunning());
        assumeTrue(self.startMillis() >= 0, "this platform reports process start times");
        assertFalse(new MountOwner(self.pid(), self.startMillis() + 10_000).isRunning(), "a reused process id");
        assertFalse(deadOwner().isRunning());
    }

    @Test
    void anAbsentMountRootIsNothingToDo() {
        NfsDriverConfig missing = config("umount %(path)s", "umount %(path)s").withMountRoot(tmp.resolve("none"));

        assertEquals(0, new StaleMountCleaner(missing, runner, mounts).cleanUp());
    }
}
