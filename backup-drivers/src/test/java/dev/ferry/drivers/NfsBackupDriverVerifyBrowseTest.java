package dev.ferry.drivers;

import dev.ferry.messages.FailureDetail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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

/** Verifying a backup's repository copy against its manifest, and listing its folders from the manifest. */
class NfsBackupDriverVerifyBrowseTest {

    @TempDir
    Path tmp;
    Path repository;
    Path share;
    NfsBackupDriver driver;

    @BeforeEach
    void backUp() throws Exception {
        repository = Files.createDirectory(tmp.resolve("repository"));
        share = Files.createDirectory(tmp.resolve("share"));
        driver = new NfsBackupDriver(NfsDriverConfig.local(repository));
        write(share, "docs/report.txt", "quarterly report");
        mode(write(share, "docs/private.txt", "private"), "rw-------");
        writeRandom(share, "docs/deep/big.bin", 3 * 1024 * 1024, 3);
        link(share, "docs/latest", "report.txt");
        writeRandom(share, "data/one.bin", 50_000, 4);
        Files.createLink(share.resolve("data/two.bin"), share.resolve("data/one.bin"));
        NfsBackupDriverManifestTest.writeSparse(share.resolve("data/sparse.img"));
        for (int i = 0; i < 14; i++) {
            write(share, "many/f" + (char) ('a' + i) + ".txt", "file " + i);
        }
        write(share, "top.txt", "top");
        mtime(share.resolve("docs/report.txt"), OLD_TIME);
        driver.backup(new BackupRequest("b-1", new ShareLocation("share-a", "NFS", share.toString())),
                ProgressListener.ignoring(), new Cancellation());
    }

    @Test
    void aSoundBackupVerifiesSoundWithEveryFileRead() throws Exception {
        List<CopyProgress> progress = new ArrayList<>();

        VerifyReport report = driver.verify("b-1", progress::add, new Cancellation());

        assertTrue(report.sound(), report.toString());
        assertEquals(21, report.filesChecked());
        long bytes = 16 + 7 + 3 * 1024 * 1024 + 2 * 50_000 + 64L * 1024 * 1024 + 3;
        for (int i = 0; i < 14; i++) {
            bytes += ("file " + i).length();
        }
        assertEquals(bytes, report.bytesChecked());
        assertEquals(List.of(), report.firstDamaged());
        assertEquals(100, progress.get(progress.size() - 1).percent());
    }

    @Test
    void flippedMissingAndTruncatedFilesAreDamaged() throws Exception {
        Path copy = repository.resolve("b-1");
        try (RandomAccessFile file = new RandomAccessFile(copy.resolve("docs/deep/big.bin").toFile(), "rw")) {
            file.seek(2_000_000);
            int b = file.read();
            file.seek(2_000_000);
            file.write(b ^ 0x01);
        }
        Files.delete(copy.resolve("docs/report.txt"));
        try (RandomAccessFile file = new RandomAccessFile(copy.resolve("top.txt").toFile(), "rw")) {
            file.setLength(1);
        }
        Files.delete(copy.resolve("many/fc.txt"));
        Files.createDirectory(copy.resolve("many/fc.txt"));

        VerifyReport report = driver.verify("b-1", ProgressListener.ignoring(), new Cancellation());

        assertFalse(report.sound());
        assertEquals(4, report.damagedFiles());
        assertEquals(21, report.filesChecked());
        assertEquals(Set.of("docs/deep/big.bin", "docs/report.txt", "top.txt", "many/fc.txt"),
                Set.copyOf(report.firstDamaged()));
    }

    @Test
    void aMissingFolderDamagesEverythingInItAndOnlyTheFirstTenAreNamed() throws Exception {
        TestTrees.run(List.of("rm", "-r", repository.resolve("b-1/many").toString()));

        VerifyReport report = driver.verify("b-1", ProgressListener.ignoring(), new Cancellation());

        assertEquals(14, report.damagedFiles());
        assertEquals(10, report.firstDamaged().size());
        assertTrue(report.firstDamaged().stream().allMatch(path -> path.startsWith("many/")), report.toString());
    }

    @Test
    void aCancelledVerifyFailsSayingSo() {
        Cancellation cancellation = new Cancellation();

        DriverException failure = assertThrows(DriverException.class, () -> driver.verify("b-1",
                progress -> cancellation.cancel(), cancellation));

        assertEquals(FailureDetail.COPY_FAILED, failure.detail());
        assertTrue(failure.getMessage().contains("cancelled"), failure.getMessage());
    }

    @Test
    void aBackupWithoutAManifestIsRefusedEverywhereWithNoManifest() throws Exception {
        write(repository, "old/file.txt", "made before manifests");

        for (var call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> driver.verify("old", ProgressListener.ignoring(), new Cancellation()),
                () -> driver.browse("old", "", 10, 0),
                () -> driver.missingPaths("old", List.of("file.txt")))) {
            DriverException failure = assertThrows(DriverException.class, call);
            assertEquals(FailureDetail.NO_MANIFEST, failure.detail());
            assertTrue(failure.getMessage().contains("old"), failure.getMessage());
        }
    }

    @Test
    void browseListsAFolderSortedByNameWithWhatTheManifestSays() throws Exception {
        BrowsePage root = driver.browse("b-1", "", 10, 0);

        assertEquals(List.of("data", "docs", "many", "top.txt"),
                root.entries().stream().map(BrowseEntry::path).toList());
        assertFalse(root.more());

        BrowsePage docs = driver.browse("b-1", "docs/", 10, 0);
        assertEquals(List.of("docs/deep", "docs/latest", "docs/private.txt", "docs/report.txt"),
                docs.entries().stream().map(BrowseEntry::path).toList());
        BrowseEntry report = docs.entries().get(3);
        assertEquals("file", report.type());
        assertEquals(16, report.size());
        assertEquals(0644, report.mode());
        assertEquals(OLD_TIME.to(TimeUnit.NANOSECONDS), report.mtimeNanos());
        assertEquals(String.format("crc32c:%08x", NfsBackupDriverManifestTest.crc32c(share.resolve("docs/report.txt"))),
                report.checksum());
        assertEquals(0600, docs.entries().get(2).mode());
        BrowseEntry latest = docs.entries().get(1);
        assertEquals("symlink", latest.type());
        assertEquals(null, latest.checksum());
        assertEquals("directory", docs.entries().get(0).type());
    }

    @Test
    void browsePagesThroughAFolder() throws Exception {
        List<String> seen = new ArrayList<>();
        int pages = 0;
        boolean more = true;
        for (long offset = 0; more; offset += 5) {
            BrowsePage page = driver.browse("b-1", "many", 5, offset);
            page.entries().forEach(entry -> seen.add(entry.path()));
            more = page.more();
            pages++;
        }
        assertEquals(3, pages);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            expected.add("many/f" + (char) ('a' + i) + ".txt");
        }
        assertEquals(expected, seen);
        BrowsePage exact = driver.browse("b-1", "many", 14, 0);
        assertEquals(14, exact.entries().size());
        assertFalse(exact.more(), "no entry follows the last one");
        assertEquals(List.of(), driver.browse("b-1", "many", 5, 100).entries());
    }

    @Test
    void browseRefusesAnUnknownFolderAndAFileNamingThem() {
        DriverException unknown = assertThrows(DriverException.class, () -> driver.browse("b-1", "nowhere", 5, 0));
        assertEquals(FailureDetail.UNKNOWN_ERROR, unknown.detail());
        assertTrue(unknown.getMessage().contains("'nowhere'"), unknown.getMessage());

        DriverException file = assertThrows(DriverException.class, () -> driver.browse("b-1", "top.txt", 5, 0));
        assertEquals(FailureDetail.UNKNOWN_ERROR, file.detail());
        assertTrue(file.getMessage().contains("'top.txt'") && file.getMessage().contains("file"), file.getMessage());
    }

    @Test
    void missingPathsNamesWhatTheManifestDoesNotHoldInTheGivenOrder() throws Exception {
        assertEquals(List.of("docs/nope.txt", "Top.txt", "docs/deep/big.bin/x"), driver.missingPaths("b-1",
                List.of("docs/report.txt", "docs/nope.txt", "many/", "Top.txt", "docs/latest", "docs/deep/big.bin/x",
                        "data/two.bin")));
        assertEquals(List.of(), driver.missingPaths("b-1", List.of()));
    }
}
