package dev.ferry.drivers;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

class TreeCopierTest {

    @TempDir
    Path tmp;
    Path source;
    Path target;
    Path outside;
    final TreeCopier copier = new TreeCopier(CopyOptions.defaults());

    @BeforeEach
    void folders() throws IOException {
        source = Files.createDirectory(tmp.resolve("source"));
        target = Files.createDirectory(tmp.resolve("target"));
        outside = Files.createDirectory(tmp.resolve("outside"));
    }

    private CopyReport copy() throws CopyFailedException {
        return copier.copy(source, target, ProgressListener.ignoring(), new Cancellation());
    }

    @Test
    void copiesEveryKindOfEntryWithItsContentModesOwnersAndTimes() throws Exception {
        write(source, "a/b/c/deep.txt", "deep");
        write(source, "empty.txt", "");
        write(source, ".hidden", "hidden");
        link(source, "rel-link", "a/b/c/deep.txt");
        link(source, "abs-link", outside.resolve("elsewhere.txt").toString());
        link(source, "a/dangling", "does/not/exist");
        writeRandom(source, "big.bin", 5 * 1024 * 1024 + 17, 42);
        write(source, "résumé/naïve 文件.txt", "non-ASCII names");
        mode(write(source, "secret.txt", "secret"), "rw-------");
        write(source, "private/inside.txt", "inside");
        mode(source.resolve("private"), "rwxr-x---");
        Files.setAttribute(write(source, "setuid-tool", "#!/bin/sh"), "unix:mode", 04750);
        mtime(write(source, "old.txt", "old"), OLD_TIME);
        if (TestTrees.isRoot()) {
            Files.setAttribute(write(source, "owned.txt", "owned"), "unix:uid", 1234);
            Files.setAttribute(source.resolve("owned.txt"), "unix:gid", 5678);
            Files.setAttribute(source.resolve("rel-link"), "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
        }
        mtime(source.resolve("rel-link"), OLD_TIME);
        mtime(source.resolve("a/b"), OLD_TIME); // after its content was written
        mtime(source.resolve("private"), OLD_TIME);

        CopyReport report = copy();

        TreeAssert.assertSameTree(source, target);
        assertEquals("non-ASCII names", Files.readString(target.resolve("résumé/naïve 文件.txt")));
        assertEquals(outside.resolve("elsewhere.txt").toString(),
                Files.readSymbolicLink(target.resolve("abs-link")).toString());
        assertEquals(List.of(), TestTrees.list(outside), "nothing may appear outside the target");
        long files = TestTrees.isRoot() ? 10 : 9;
        assertEquals(new CopyReport(files, 5, 3, 5 * 1024 * 1024 + 17 + 4 + 6 + 15 + 6 + 6 + 9 + 3
                + (TestTrees.isRoot() ? 5 : 0), 0), report);
    }

    @Test
    void usesUtf8FileNamesInThisJvm() {
        assertEquals("UTF-8", System.getProperty("sun.jnu.encoding"),
                "tests with non-ASCII names need a UTF-8 locale (LANG=C.UTF-8); see the surefire configuration");
    }

    @Test
    void keepsFileNamesThatAreNotValidUtf8ByteForByte() throws Exception {
        TestTrees.run(List.of("sh", "-c", "cd \"$1\" && printf data > \"$(printf '\\377\\376')name\"", "sh",
                source.toString()));

        copy();

        TreeAssert.assertSameTree(source, target);
        Path copied = TestTrees.list(target).get(0);
        assertTrue(copied.getFileName().toString().contains("\uFFFD"), "the name is not valid UTF-8: " + copied);
        assertEquals("data", Files.readString(copied));
    }

    @Test
    void overlaysTheTargetOverwritingSameNamesAndKeepingOtherFiles() throws Exception {
        write(target, "keep.txt", "the user's own file");
        write(target, "dir/keep-too.txt", "another of the user's files");
        write(target, "same.txt", "an older and much longer version of the file");
        write(source, "same.txt", "new");
        write(source, "dir/new.txt", "new file");

        copy();
        copy(); // restoring the same backup twice changes nothing more

        assertEquals("the user's own file", Files.readString(target.resolve("keep.txt")));
        assertEquals("another of the user's files", Files.readString(target.resolve("dir/keep-too.txt")));
        assertEquals("new", Files.readString(target.resolve("same.txt")));
        assertEquals("new file", Files.readString(target.resolve("dir/new.txt")));
        TreeAssert.assertSameSnapshot(TreeSnapshot.of(source),
                TreeSnapshot.of(target).without("keep.txt", "dir/keep-too.txt"));
    }

    @Test
    void skipsIgnoredNamesAtAnyDepth() throws Exception {
        write(source, "lost+found/orphan", "x");
        write(source, "a/lost+found/orphan", "x");
        write(source, "a/b/lost+found", "a file with an ignored name");
        write(source, "a/.snapshot/daily/f", "x");
        write(source, "a/keep.txt", "kept");
        TreeSnapshot expected = TreeSnapshot.of(source).without("lost+found", "a/lost+found", "a/b/lost+found",
                "a/.snapshot");
        TreeCopier ignoring = new TreeCopier(CopyOptions.of(List.of("lost+found", ".snapshot"), 2, false));

        CopyReport report = ignoring.copy(source, target, ProgressListener.ignoring(), new Cancellation());

        assertEquals(1, report.files());
        assertFalse(Files.exists(target.resolve("lost+found")));
        assertFalse(Files.exists(target.resolve("a/lost+found")));
        assertFalse(Files.exists(target.resolve("a/b/lost+found")));
        assertFalse(Files.exists(target.resolve("a/.snapshot")));
        TreeAssert.assertSnapshot(expected, target);
    }

    @Test
    void skipsFifosAndCountsThem() throws Exception {
        write(source, "plain.txt", "plain");
        TestTrees.run(List.of("mkfifo", source.resolve("pipe").toString()));

        CopyReport report = copy();

        assertEquals(1, report.skipped());
        assertEquals(1, report.files());
        assertFalse(Files.exists(target.resolve("pipe"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void replacesASymlinkedDirectoryInTheTargetInsteadOfWritingThroughIt() throws Exception {
        Files.createSymbolicLink(target.resolve("dir"), outside);
        Files.createSymbolicLink(target.resolve("up"), Path.of("../outside"));
        write(source, "dir/f.txt", "restored");
        write(source, "up/sub/g.txt", "restored too");

        copy();

        assertEquals(List.of(), TestTrees.list(outside), "nothing may be written through a link in the target");
        assertTrue(Files.isDirectory(target.resolve("dir"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(target.resolve("up"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("restored", Files.readString(target.resolve("dir/f.txt")));
        assertEquals("restored too", Files.readString(target.resolve("up/sub/g.txt")));
    }

    @Test
    void replacesASymlinkAtAFileNameInsteadOfWritingThroughIt() throws Exception {
        Path victim = write(outside, "victim.txt", "must not change");
        Files.createSymbolicLink(target.resolve("f.txt"), victim);
        Files.createSymbolicLink(target.resolve("link"), outside);
        write(source, "f.txt", "restored");
        link(source, "link", "somewhere/else");

        copy();

        assertEquals("must not change", Files.readString(victim));
        assertTrue(Files.isRegularFile(target.resolve("f.txt"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("restored", Files.readString(target.resolve("f.txt")));
        assertEquals("somewhere/else", Files.readSymbolicLink(target.resolve("link")).toString());
    }

    @Test
    void recreatesLinksToTheRootAndUpwardsAsLinksAndNeverWritesThroughThem() throws Exception {
        link(source, "root-link", "/");
        link(source, "up", "../../..");
        link(source, "nested/up", "../../../..");

        CopyReport first = copy();

        assertEquals(0, first.files(), "links must not be followed while walking the source");
        assertEquals(3, first.symlinks());
        assertEquals("/", Files.readSymbolicLink(target.resolve("root-link")).toString());
        assertEquals("../../..", Files.readSymbolicLink(target.resolve("up")).toString());
        assertEquals("../../../..", Files.readSymbolicLink(target.resolve("nested/up")).toString());

        // a later backup holds real folders with those names: they must replace the links
        String marker = "ferry-escape-" + System.nanoTime() + ".txt";
        Path second = Files.createDirectory(tmp.resolve("second"));
        write(second, "root-link/" + marker, "x");
        write(second, "up/" + marker, "x");
        write(second, "nested/up/" + marker, "x");
        List<Path> escapes = List.of(Path.of("/", marker), target.resolve("../../..").normalize().resolve(marker),
                target.resolve("nested/../../../..").normalize().resolve(marker));
        try {
            copier.copy(second, target, ProgressListener.ignoring(), new Cancellation());

            for (Path escape : escapes) {
                assertFalse(Files.exists(escape), "written outside the target: " + escape);
            }
            assertEquals("x", Files.readString(target.resolve("root-link/" + marker)));
            assertEquals("x", Files.readString(target.resolve("nested/up/" + marker)));
        } finally {
            for (Path escape : escapes) {
                Files.deleteIfExists(escape);
            }
        }
    }

    @Test
    void refusesToReplaceADirectoryInTheTargetWithAFile() throws Exception {
        write(target, "x/keep.txt", "the user's data");
        write(source, "x", "a file where the target has a directory");

        CopyFailedException failure = assertThrows(CopyFailedException.class, this::copy);

        assertTrue(failure.getMessage().contains("'x'"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Move or remove that directory"), failure.getMessage());
        assertFalse(failure.targetTouched());
        assertFalse(failure.cancelled());
        assertEquals("the user's data", Files.readString(target.resolve("x/keep.txt")));
    }

    @Test
    void createsAMissingTargetRootAndKeepsAnExistingRootsOwnMode() throws Exception {
        write(source, "f.txt", "f");
        mode(source, "rwxrwxrwx");
        mode(target, "rwx--x--x");
        Path missing = tmp.resolve("new/deeper");

        copy();
        copier.copy(source, missing, ProgressListener.ignoring(), new Cancellation());

        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals("f", Files.readString(missing.resolve("f.txt")));
    }

    @Test
    void refusesToCopyAFolderIntoItself() throws Exception {
        write(source, "f.txt", "f");

        CopyFailedException failure = assertThrows(CopyFailedException.class,
                () -> copier.copy(source, source.resolve("inner"), ProgressListener.ignoring(), new Cancellation()));

        assertTrue(failure.getMessage().contains("one folder contains the other"), failure.getMessage());
    }

    @Test
    void failsSayingWhatWasMissingWhenTheSourceDoesNotExist() {
        CopyFailedException failure = assertThrows(CopyFailedException.class,
                () -> copier.copy(tmp.resolve("nope"), target, ProgressListener.ignoring(), new Cancellation()));

        assertTrue(failure.getMessage().contains("nope"), failure.getMessage());
        assertFalse(failure.targetTouched());
    }

    @Test
    void verifiesChecksumsWhenAsked() throws Exception {
        writeRandom(source, "a.bin", 300_000, 1);
        writeRandom(source, "d/b.bin", 70_000, 2);
        TreeCopier verifying = new TreeCopier(CopyOptions.of(List.of(), 3, true));

        CopyReport report = verifying.copy(source, target, ProgressListener.ignoring(), new Cancellation());

        assertEquals(2, report.files());
        TreeAssert.assertSameTree(source, target);
    }

    @Test
    void copiesATreeWhosePathsInTheTargetAreLongerThanPathMax() throws Exception {
        String name = "a".repeat(250);
        Path deep = source;
        for (int i = 0; i < 15; i++) {
            deep = deep.resolve(name);
        }
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("f.txt"), "deep");
        Path longTarget = Files.createDirectories(target.resolve("b".repeat(250)).resolve("b".repeat(250)));

        try {
            CopyReport report = copier.copy(source, longTarget, ProgressListener.ignoring(), new Cancellation());

            assertEquals(1, report.files());
            assertEquals(15, report.directories());
            assertTrue(longTarget.toString().length() + 15 * 251 + 6 > 4096, "the test needs paths beyond PATH_MAX");
            // Java cannot open a path that long; find walks with file descriptors
            Process find = new ProcessBuilder("find", longTarget.toString(), "-type", "f", "-name", "f.txt",
                    "-size", "4c").redirectErrorStream(true).start();
            String found = new String(find.getInputStream().readAllBytes()).trim();
            assertEquals(0, find.waitFor(), found);
            assertTrue(found.endsWith(name + "/f.txt"), found);
        } finally {
            // the temporary folder's own clean-up cannot remove paths that long either
            new ProcessBuilder("rm", "-rf", target.resolve("b".repeat(250)).toString()).start().waitFor();
        }
    }

    @Test
    void reportsATargetThatRunsOutOfSpaceAsACopyFailureAfterTouchingTheTarget() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestTrees.isRoot(), "mounting a small tmpfs needs root");
        writeRandom(source, "big.bin", 2 * 1024 * 1024, 3);
        try (SmallTmpfs small = SmallTmpfs.mount(target, "256k")) {
            CopyFailedException failure = assertThrows(CopyFailedException.class, this::copy);

            assertTrue(failure.targetTouched());
            assertFalse(failure.cancelled());
            assertTrue(failure.getMessage().contains("'big.bin'"), failure.getMessage());
            assertTrue(failure.getMessage().contains("no space left on device"), failure.getMessage());
        }
    }
}
