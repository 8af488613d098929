package dev.ferry.drivers;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.ferry.drivers.TestTrees.OLD_TIME;
import static dev.ferry.drivers.TestTrees.link;
import static dev.ferry.drivers.TestTrees.mode;
import static dev.ferry.drivers.TestTrees.mtime;
import static dev.ferry.drivers.TestTrees.write;
import static dev.ferry.drivers.TestTrees.writeRandom;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The restore engine for backups with a manifest, on real folders, with a manifest held in memory. */
class ManifestRestoreRunTest {

    private static final RestoreSelection.Overwrite ALWAYS = RestoreSelection.Overwrite.ALWAYS;
    private static final RestoreSelection.Overwrite IF_CHANGED = RestoreSelection.Overwrite.IF_CHANGED;
    private static final RestoreSelection.Overwrite NEVER = RestoreSelection.Overwrite.NEVER;

    @TempDir
    Path tmp;
    Path backup;
    Path target;

    @BeforeEach
    void folders() throws IOException {
        backup = Files.createDirectories(tmp.resolve("repository/b-1"));
        target = Files.createDirectory(tmp.resolve("target"));
    }

    private void fillBackup() throws IOException {
        write(backup, "docs/report.txt", "quarterly report");
        write(backup, "docs/notes/todo.txt", "restore me");
        mode(write(backup, "docs/private.txt", "private"), "rw-------");
        writeRandom(backup, "data/blob.bin", 3_000_000, 7);
        write(backup, "data/small.txt", "small");
        link(backup, "latest", "docs/report.txt");
        mtime(backup.resolve("docs/report.txt"), OLD_TIME);
        mtime(backup.resolve("docs"), OLD_TIME);
        mode(backup.resolve("data"), "rwxr-x---");
    }

    private CopyReport restore(Manifest manifest, RestoreSelection selection) throws CopyFailedException {
        return restore(manifest, selection, false, XattrWriter.THROUGH_HANDLE, new Cancellation(),
                ProgressListener.ignoring());
    }

    private CopyReport restore(Manifest manifest, RestoreSelection selection, boolean resumed, XattrWriter xattrs,
                               Cancellation cancellation, ProgressListener listener) throws CopyFailedException {
        try (DirHandle source = DirHandle.openRoot(backup); DirHandle targetRoot = DirHandle.openRoot(target)) {
            return new ManifestRestoreRun(CopyOptions.of(List.of("lost+found"), 3, false).withChunkBytes(64 * 1024)
                            .withProgressInterval(java.time.Duration.ZERO),
                    manifest, source, targetRoot, selection, resumed, "backup b-1 to the test target", listener,
                    cancellation, xattrs).run();
        } catch (CopyFailedException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static RestoreSelection selection(RestoreSelection.Overwrite overwrite, boolean deleteExtra,
                                              String... paths) {
        return new RestoreSelection(List.of(paths), overwrite, deleteExtra);
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> walk = Files.walk(target)) {
            return walk.filter(p -> p.getFileName().toString().startsWith(".ferry-")).toList();
        }
    }

    @Test
    void restoresAWholeBackupAsItWasBackedUp() throws Exception {
        fillBackup();
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        List<CopyProgress> progress = new ArrayList<>();

        CopyReport report = restore(manifest, RestoreSelection.WHOLE, false, XattrWriter.THROUGH_HANDLE,
                new Cancellation(), progress::add);

        TreeAssert.assertSnapshot(TreeSnapshot.of(backup), target);
        assertEquals(new CopyReport(5, 3, 1, 3_000_000 + 16 + 10 + 7 + 5, 0), report);
        assertEquals(100, progress.get(progress.size() - 1).percent());
        assertEquals(3_000_038, progress.get(progress.size() - 1).bytesTotal());
        assertEquals(List.of(), temporaries());
    }

    @Test
    void aDamagedAndAMissingRepositoryFileAreNotWrittenAndTheRestIs() throws Exception {
        fillBackup();
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        try (RandomAccessFile file = new RandomAccessFile(backup.resolve("data/blob.bin").toFile(), "rw")) {
            file.seek(1_234_567);
            int b = file.read();
            file.seek(1_234_567);
            file.write(b ^ 0x01);
        }
        Files.delete(backup.resolve("docs/notes/todo.txt"));

        CopyReport report = restore(manifest, RestoreSelection.WHOLE);

        assertEquals(2, report.damagedFiles());
        // the manifest lists deeper entries first: docs/notes/todo.txt comes before data/blob.bin
        assertEquals("docs/notes/todo.txt", report.firstDamaged());
        assertEquals(3, report.files());
        assertFalse(Files.exists(target.resolve("data/blob.bin")));
        assertFalse(Files.exists(target.resolve("docs/notes/todo.txt")));
        assertEquals("quarterly report", Files.readString(target.resolve("docs/report.txt")));
        assertEquals("small", Files.readString(target.resolve("data/small.txt")));
        assertTrue(Files.isDirectory(target.resolve("docs/notes")));
        assertEquals(List.of(), temporaries());
    }

    @Test
    void aRepositoryFileOfTheWrongSizeIsDamaged() throws Exception {
        write(backup, "a.txt", "original");
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        write(backup, "a.txt", "original plus more");

        CopyReport report = restore(manifest, RestoreSelection.WHOLE);

        assertEquals(1, report.damagedFiles());
        assertEquals("a.txt", report.firstDamaged());
        assertFalse(Files.exists(target.resolve("a.txt")));
    }

    @Test
    void alwaysReplacesWhatTheTargetHolds() throws Exception {
        fillBackup();
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        write(target, "docs/report.txt", "edited by the user");
        write(target, "docs/mine.txt", "the user's own");

        CopyReport report = restore(manifest, selection(ALWAYS, false, "docs"));

        assertEquals("quarterly report", Files.readString(target.resolve("docs/report.txt")));
        assertEquals("the user's own", Files.readString(target.resolve("docs/mine.txt")));
        assertFalse(Files.exists(target.resolve("data")));
        assertEquals(3, report.files());
        assertEquals(0, report.filesSkipped());
    }

    @Test
    void neverLeavesFilesTheTargetHolds() throws Exception {
        fillBackup();
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        write(target, "docs/report.txt", "edited by the user");

        CopyReport report = restore(manifest, selection(NEVER, false, "docs"));

        assertEquals("edited by the user", Files.readString(target.resolve("docs/report.txt")));
        assertEquals("restore me", Files.readString(target.resolve("docs/notes/todo.txt")));
        assertEquals(2, report.files());
        assertEquals(1, report.filesSkipped());
        assertEquals(16, report.bytesSkipped());
    }

    @Test
    void neverLeavesAFileWhereTheBackupHasAFolderAndSkipsWhatTheFolderHolds() throws Exception {
        fillBackup();
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        write(target, "docs", "a file named like the backup's folder");

        CopyReport report = restore(manifest, selection(NEVER, false));

        assertEquals("a file named like the backup's folder", Files.readString(target.resolve("docs")));
        assertEquals(3, report.filesSkipped());
        assertEquals(2, report.files());
        assertEquals("small", Files.readString(target.resolve("data/small.txt")));
    }

    @Test
    void ifChangedLeavesIdenticalFilesAndReplacesChangedOnes() throws Exception {
        fillBackup();
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        restore(manifest, RestoreSelection.WHOLE);
        // same size and time but other content: only the checksum tells
        Path report = target.resolve("docs/report.txt");
        Files.writeString(report, "QUARTERLY REPORT");
        mtime(report, OLD_TIME);
        write(target, "data/small.txt", "SMALL!");
        FileTime before = Files.getLastModifiedTime(target.resolve("data/blob.bin"));
        Object inodeBefore = Files.getAttribute(target.resolve("data/blob.bin"), "unix:ino");

        CopyReport again = restore(manifest, selection(IF_CHANGED, false, "docs", "data"));

        assertEquals("quarterly report", Files.readString(report));
        assertEquals("small", Files.readString(target.resolve("data/small.txt")));
        assertEquals(inodeBefore, Files.getAttribute(target.resolve("data/blob.bin"), "unix:ino"));
        assertEquals(before, Files.getLastModifiedTime(target.resolve("data/blob.bin")));
        assertEquals(2, again.files());
        assertEquals(3, again.filesSkipped());
        assertEquals(3_000_000 + 10 + 7, again.bytesSkipped());
    }

    @Test
    void aResumedAttemptSkipsIdenticalFilesWhateverThePolicy() throws Exception {
        fillBackup();
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        restore(manifest, RestoreSelection.WHOLE);
        Files.delete(target.resolve("data/small.txt")); // as if the first attempt died before it
        write(target, "docs/private.txt", "half-writ"); // a different file of another size
        Object inodeBefore = Files.getAttribute(target.resolve("data/blob.bin"), "unix:ino");

        CopyReport report = restore(manifest, RestoreSelection.WHOLE, true, XattrWriter.THROUGH_HANDLE,
                new Cancellation(), ProgressListener.ignoring());

        assertEquals(2, report.files());
        assertEquals(5 + 7, report.bytes());
        assertEquals(3, report.filesSkipped());
        assertEquals(3_000_000 + 16 + 10, report.bytesSkipped());
        assertEquals(inodeBefore, Files.getAttribute(target.resolve("data/blob.bin"), "unix:ino"));
        TreeAssert.assertSnapshot(TreeSnapshot.of(backup), target);
    }

    @Test
    void deleteExtraMirrorsOnlyTheSelectedFolder() throws Exception {
        fillBackup();
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        write(target, "docs/extra.txt", "not in the backup");
        write(target, "docs/notes/old/deep.txt", "not in the backup either");
        write(target, "docs/lost+found/keep", "ignored names stay");
        write(target, "data/outside.txt", "outside the selection");
        write(target, "elsewhere.txt", "outside the selection");

        restore(manifest, selection(ALWAYS, true, "docs"));

        assertFalse(Files.exists(target.resolve("docs/extra.txt")));
        assertFalse(Files.exists(target.resolve("docs/notes/old")));
        assertTrue(Files.exists(target.resolve("docs/lost+found/keep")));
        assertTrue(Files.exists(target.resolve("data/outside.txt")));
        assertTrue(Files.exists(target.resolve("elsewhere.txt")));
        assertEquals("restore me", Files.readString(target.resolve("docs/notes/todo.txt")));
    }

    @Test
    void deleteExtraOnAWholeRestoreMirrorsTheRoot() throws Exception {
        fillBackup();
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        write(target, "elsewhere.txt", "not in the backup");
        Files.createDirectories(target.resolve("latest")); // a directory where the backup has a link

        restore(manifest, selection(ALWAYS, true));

        TreeAssert.assertSnapshot(TreeSnapshot.of(backup), target);
    }

    @Test
    void aSelectedFileIsRestoredWithTheFoldersAboveIt() throws Exception {
        fillBackup();
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);

        CopyReport report = restore(manifest, selection(ALWAYS, false, "docs/notes/todo.txt"));

        assertEquals(1, report.files());
        assertEquals("restore me", Files.readString(target.resolve("docs/notes/todo.txt")));
        assertEquals(OLD_TIME, Files.getLastModifiedTime(target.resolve("docs")));
        assertEquals(List.of(target.resolve("docs")), TestTrees.list(target));
        assertEquals(List.of(target.resolve("docs/notes")), TestTrees.list(target.resolve("docs")));
    }

    @Test
    void leftoversOfAnEarlierAttemptAreRemoved() throws Exception {
        fillBackup();
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        write(target, "docs/.ferry-report.txt.0123abcd", "half a file");
        write(target, ".ferry-latest.deadbeef", "half a link");
        write(target, "docs/.ferry-not-ours.txt", "a user's file: not our shape");

        restore(manifest, RestoreSelection.WHOLE);

        assertEquals(List.of(), temporaries().stream()
                .filter(p -> !p.getFileName().toString().equals(".ferry-not-ours.txt")).toList());
        assertTrue(Files.exists(target.resolve("docs/.ferry-not-ours.txt")));
    }

    @Test
    void aCancelledRestoreLeavesNoTemporaryFile() throws Exception {
        writeRandom(backup, "big-1.bin", 4_000_000, 1);
        writeRandom(backup, "big-2.bin", 4_000_000, 2);
        writeRandom(backup, "big-3.bin", 4_000_000, 3);
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        Cancellation cancellation = new Cancellation();

        CopyFailedException failure = assertThrows(CopyFailedException.class, () -> restore(manifest,
                RestoreSelection.WHOLE, false, XattrWriter.THROUGH_HANDLE, cancellation, progress -> {
                    if (progress.bytesDone() > 0) {
                        cancellation.cancel();
                    }
                }));

        assertTrue(failure.cancelled());
        assertTrue(failure.getMessage().contains("was cancelled"), failure.getMessage());
        assertEquals(List.of(), temporaries());
    }

    @Test
    void hardLinksAreRestoredAsLinks() throws Exception {
        write(backup, "a/first.txt", "shared content");
        Files.createDirectories(backup.resolve("b"));
        Files.createLink(backup.resolve("b/second.txt"), backup.resolve("a/first.txt"));
        Files.createLink(backup.resolve("third.txt"), backup.resolve("a/first.txt"));
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);

        CopyReport report = restore(manifest, RestoreSelection.WHOLE);

        Object inode = Files.getAttribute(target.resolve("a/first.txt"), "unix:ino");
        assertEquals(inode, Files.getAttribute(target.resolve("b/second.txt"), "unix:ino"));
        assertEquals(inode, Files.getAttribute(target.resolve("third.txt"), "unix:ino"));
        assertEquals(3, Files.getAttribute(target.resolve("third.txt"), "unix:nlink"));
        assertEquals(3, report.files());
        assertEquals(14, report.bytes());

        CopyReport again = restore(manifest, RestoreSelection.WHOLE, true, XattrWriter.THROUGH_HANDLE,
                new Cancellation(), ProgressListener.ignoring());
        assertEquals(3, again.filesSkipped());
        assertEquals(3, Files.getAttribute(target.resolve("third.txt"), "unix:nlink"));
    }

    @Test
    void sparseFilesStaySparse() throws Exception {
        Path sparse = backup.resolve("disk.img");
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.seek(10_000_000);
            file.write("middle".getBytes());
            file.setLength(50_000_000);
        }
        write(backup, "dense.txt", "dense");
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        assertTrue(manifest.find(Names.of("disk.img")).sparse());

        CopyReport report = restore(manifest, RestoreSelection.WHOLE);

        Path restored = target.resolve("disk.img");
        assertEquals(50_000_000, Files.size(restored));
        assertTrue(InMemoryManifest.allocatedBytes(restored) <= 64 * 1024,
                "allocated " + InMemoryManifest.allocatedBytes(restored));
        assertArrayEquals(Files.readAllBytes(sparse), Files.readAllBytes(restored));
        assertEquals(0, report.damagedFiles());
    }

    @Test
    void extendedAttributesAndAclsAreRestored() throws Exception {
        Path file = write(backup, "docs/tagged.txt", "tagged");
        TestTrees.run(List.of("setfattr", "-n", "user.color", "-v", "blue", file.toString()));
        TestTrees.run(List.of("setfacl", "-m", "u:nobody:r", file.toString()));
        TestTrees.run(List.of("setfacl", "-d", "-m", "u:nobody:rx", backup.resolve("docs").toString()));
        write(backup, "plain.txt", "no attributes");
        TestTrees.run(List.of("setfacl", "-b", backup.resolve("plain.txt").toString()));
        InMemoryManifest manifest = InMemoryManifest.of(backup, true);

        CopyReport report = restore(manifest, RestoreSelection.WHOLE);

        assertEquals(0, report.metadataDropped());
        assertEquals(attributes(file), attributes(target.resolve("docs/tagged.txt")));
        assertTrue(attributes(target.resolve("docs/tagged.txt")).contains("user.color=\"blue\""));
        assertTrue(attributes(target.resolve("docs/tagged.txt")).contains("user:nobody:r--"));
        assertEquals(attributes(backup.resolve("docs")), attributes(target.resolve("docs")));
        assertTrue(attributes(target.resolve("docs")).contains("default:user:nobody:r-x"));
    }

    @Test
    void attributesTheTargetRefusesAreCountedAndTheFilesRestored() throws Exception {
        Path file = write(backup, "tagged.txt", "tagged");
        TestTrees.run(List.of("setfattr", "-n", "user.color", "-v", "blue", file.toString()));
        TestTrees.run(List.of("setfattr", "-n", "user.size", "-v", "large", file.toString()));
        InMemoryManifest manifest = InMemoryManifest.of(backup, true);
        XattrWriter refusingUserAttributes = (holder, attribute) -> {
            if (attribute.nameText().startsWith("user.")) {
                throw new Errno("set extended attribute " + attribute.nameText() + " of", "tagged.txt",
                        LibC.EOPNOTSUPP);
            }
            holder.set(attribute);
        };

        CopyReport report = restore(manifest, RestoreSelection.WHOLE, false, refusingUserAttributes,
                new Cancellation(), ProgressListener.ignoring());

        assertEquals(2, report.metadataDropped());
        assertTrue(report.firstDropped().startsWith("tagged.txt (user."), report.firstDropped());
        assertEquals("tagged", Files.readString(target.resolve("tagged.txt")));
        assertEquals(1, report.files());
        assertFalse(attributes(target.resolve("tagged.txt")).contains("user."));
    }

    @Test
    void aFileWhereTheTargetHasADirectoryFailsTheRestoreSayingSo() throws Exception {
        write(backup, "name", "a file in the backup");
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);
        write(target, "name/inside.txt", "a directory in the target");

        CopyFailedException failure = assertThrows(CopyFailedException.class,
                () -> restore(manifest, RestoreSelection.WHOLE));

        assertTrue(failure.getMessage().contains("the target has a directory 'name'"), failure.getMessage());
        assertEquals(List.of(), temporaries());
    }

    @Test
    void entriesComeOutInTheManifestsOrderNotDepthFirst() throws Exception {
        // more folders than stay open at once, files listed long after their folders
        for (int i = 0; i < RestoreFolders.MAX_OPEN * 2; i++) {
            write(backup, "d" + i + "/sub/f.txt", "file " + i);
        }
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);

        CopyReport report = restore(manifest, RestoreSelection.WHOLE);

        assertEquals(RestoreFolders.MAX_OPEN * 2, report.files());
        TreeAssert.assertSnapshot(TreeSnapshot.of(backup), target);
    }

    @Test
    void modesOwnersAndTimesOfFilesAndDirectoriesAreKept() throws Exception {
        fillBackup();
        mtime(backup.resolve("docs/notes"), FileTime.from(Instant.parse("2010-01-01T00:00:00Z")));
        InMemoryManifest manifest = InMemoryManifest.of(backup, false);

        restore(manifest, RestoreSelection.WHOLE);

        assertEquals(Files.getAttribute(backup.resolve("docs/private.txt"), "unix:mode"),
                Files.getAttribute(target.resolve("docs/private.txt"), "unix:mode"));
        assertEquals(Files.getAttribute(backup.resolve("data"), "unix:mode"),
                Files.getAttribute(target.resolve("data"), "unix:mode"));
        assertEquals(OLD_TIME, Files.getLastModifiedTime(target.resolve("docs")));
        assertEquals(FileTime.from(Instant.parse("2010-01-01T00:00:00Z")),
                Files.getLastModifiedTime(target.resolve("docs/notes")));
        assertEquals(Files.getLastModifiedTime(backup.resolve("latest"), LinkOption.NOFOLLOW_LINKS),
                Files.getLastModifiedTime(target.resolve("latest"), LinkOption.NOFOLLOW_LINKS));
    }

    private static String attributes(Path path) throws IOException, InterruptedException {
        Process getfattr = new ProcessBuilder("getfattr", "--absolute-names", "-d", "-m", "-", path.toString())
                .start();
        String xattrs = new String(getfattr.getInputStream().readAllBytes());
        getfattr.waitFor();
        Process getfacl = new ProcessBuilder("getfacl", "-c", "-p", path.toString()).start();
        String acl = new String(getfacl.getInputStream().readAllBytes());
        getfacl.waitFor();
        return xattrs.replace(path.toString(), "") + acl;
    }
}
