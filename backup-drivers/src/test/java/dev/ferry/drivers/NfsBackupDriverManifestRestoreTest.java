package dev.ferry.drivers;

import dev.ferry.messages.FailureDetail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.ferry.drivers.TestTrees.write;
import static dev.ferry.drivers.TestTrees.writeRandom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The NFS driver's restores in local mode: through the manifest when the backup has one, as before otherwise. */
class NfsBackupDriverManifestRestoreTest {

    @TempDir
    Path tmp;
    Path repository;
    Path share;
    NfsBackupDriver driver;

    @BeforeEach
    void folders() throws IOException {
        repository = Files.createDirectory(tmp.resolve("repository"));
        share = Files.createDirectory(tmp.resolve("share"));
        driver = new NfsBackupDriver(NfsDriverConfig.local(repository));
        write(repository, "b-1/docs/report.txt", "quarterly report");
        write(repository, "b-1/docs/notes.txt", "notes");
        writeRandom(repository, "b-1/data/blob.bin", 200_000, 3);
    }

    /** Writes the backup's manifest as a backup would: what its folder holds now. */
    private void writeManifest() throws IOException {
        InMemoryManifest entries = InMemoryManifest.of(repository.resolve("b-1"), false);
        try (ManifestWriter writer = ManifestWriter.create(repository.resolve(Manifest.fileName("b-1")))) {
            entries.forEach(entry -> {
                try {
                    writer.append(entry);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.complete();
        }
    }

    private CopyReport restore(RestoreSelection selection) throws DriverException {
        return driver.restore(new RestoreRequest("b-1", new ShareLocation("share", "NFS", share.toString()),
                selection), ProgressListener.ignoring(), new Cancellation());
    }

    @Test
    void aBackupWithAManifestRestoresOnlyTheSelectedPaths() throws Exception {
        writeManifest();

        CopyReport report = restore(new RestoreSelection(List.of("docs/notes.txt", "data"),
                RestoreSelection.Overwrite.ALWAYS, false));

        assertEquals(2, report.files());
        assertEquals("notes", Files.readString(share.resolve("docs/notes.txt")));
        assertFalse(Files.exists(share.resolve("docs/report.txt")));
        assertEquals(200_000, Files.size(share.resolve("data/blob.bin")));
    }

    @Test
    void deleteExtraMirrorsTheBackupThroughItsManifest() throws Exception {
        writeManifest();
        write(share, "docs/extra.txt", "not in the backup");
        write(share, "old/deep/file.txt", "not in the backup");
        write(share, "docs/.ferry-notes.txt.0badc0de", "left by an earlier attempt");

        CopyReport report = restore(new RestoreSelection(List.of(), RestoreSelection.Overwrite.IF_CHANGED, true));

        assertEquals(3, report.files());
        TreeAssert.assertSnapshot(TreeSnapshot.of(repository.resolve("b-1")), share);
    }

    @Test
    void aDamagedFileIsCountedAndNamedAndTheRestRestored() throws Exception {
        writeManifest();
        write(repository, "b-1/docs/notes.txt", "NOTES");

        CopyReport report = restore(RestoreSelection.WHOLE);

        assertEquals(1, report.damagedFiles());
        assertEquals("docs/notes.txt", report.firstDamaged());
        assertEquals(2, report.files());
        assertFalse(Files.exists(share.resolve("docs/notes.txt")));
        assertEquals("quarterly report", Files.readString(share.resolve("docs/report.txt")));
    }

    @Test
    void aPathTheBackupDoesNotHoldIsRefusedByNameBeforeAnythingIsWritten() throws Exception {
        writeManifest();

        DriverException failure = assertThrows(DriverException.class, () -> restore(new RestoreSelection(
                List.of("docs", "docs/missing.txt"), RestoreSelection.Overwrite.ALWAYS, false)));

        assertEquals(FailureDetail.UNKNOWN_ERROR, failure.detail());
        assertTrue(failure.getMessage().contains("'docs/missing.txt'"), failure.getMessage());
        assertFalse(failure.targetTouched());
        assertEquals(List.of(), TestTrees.list(share));
    }

    @Test
    void aPathLeavingTheBackupIsRefused() throws Exception {
        writeManifest();

        DriverException failure = assertThrows(DriverException.class, () -> restore(new RestoreSelection(
                List.of("docs/../../etc"), RestoreSelection.Overwrite.ALWAYS, false)));

        assertEquals(FailureDetail.UNKNOWN_ERROR, failure.detail());
        assertTrue(failure.getMessage().contains("docs/../../etc"), failure.getMessage());
        assertEquals(List.of(), TestTrees.list(share));
    }

    @Test
    void aBackupMadeByTheDriverRestoresWithItsLinksHolesAndAttributes() throws Exception {
        Path source = Files.createDirectory(tmp.resolve("source"));
        write(source, "docs/report.txt", "quarterly report");
        writeRandom(source, "data/one.bin", 100_000, 4);
        Files.createLink(source.resolve("docs/two.bin"), source.resolve("data/one.bin"));
        NfsBackupDriverManifestTest.writeSparse(source.resolve("data/sparse.img"));
        NfsBackupDriverManifestTest.setXattr(source.resolve("docs/report.txt"), "ferry.colour", "blue");
        TestTrees.run(List.of("setfacl", "-m", "u:4321:rw", source.resolve("docs/report.txt").toString()));
        TestTrees.run(List.of("setfacl", "-d", "-m", "u:4321:rwx", source.resolve("data").toString()));
        driver.backup(new BackupRequest("b-2", new ShareLocation("source", "NFS", source.toString())),
                ProgressListener.ignoring(), new Cancellation());
        RestoreRequest request = new RestoreRequest("b-2", new ShareLocation("share", "NFS", share.toString()));

        CopyReport report = driver.restore(request, ProgressListener.ignoring(), new Cancellation());

        assertEquals(0, report.damagedFiles());
        assertEquals(0, report.metadataDropped());
        TreeAssert.assertSameTree(source, share);
        assertEquals(Files.getAttribute(share.resolve("data/one.bin"), "unix:ino"),
                Files.getAttribute(share.resolve("docs/two.bin"), "unix:ino"), "a hard link restored as a link");
        assertTrue(NfsBackupDriverManifestTest.allocatedBytes(share.resolve("data/sparse.img")) < 1024 * 1024,
                "a sparse file restored sparse");
        assertEquals(NfsBackupDriverManifestTest.crc32c(source.resolve("data/sparse.img")),
                NfsBackupDriverManifestTest.crc32c(share.resolve("data/sparse.img")));
        assertEquals("blue", NfsBackupDriverManifestTest.xattr(share.resolve("docs/report.txt"), "ferry.colour"));
        assertTrue(NfsBackupDriverManifestTest.getfacl(share.resolve("docs/report.txt")).contains("user:4321:rw-"));
        assertTrue(NfsBackupDriverManifestTest.getfacl(share.resolve("data")).contains("default:user:4321:rwx"));
        assertFalse(NfsBackupDriverManifestTest.getfacl(share.resolve("data/one.bin")).contains("4321"));

        CopyReport resumed = driver.restore(new RestoreRequest(request.backupId(), request.target(),
                RestoreSelection.WHOLE, true), ProgressListener.ignoring(), new Cancellation());
        assertEquals(0, resumed.files());
        assertEquals(4, resumed.filesSkipped());
    }

    @Test
    void aBackupWithoutAManifestStillRestoresInFull() throws Exception {
        write(share, "docs/report.txt", "edited");
        write(share, "mine.txt", "the user's own");

        CopyReport report = restore(RestoreSelection.WHOLE);

        assertEquals(3, report.files());
        assertEquals("quarterly report", Files.readString(share.resolve("docs/report.txt")));
        assertEquals("the user's own", Files.readString(share.resolve("mine.txt")));
    }

    @Test
    void ifChangedOnABackupWithoutAManifestComparesSizeAndModificationTime() throws Exception {
        Path report = repository.resolve("b-1/docs/report.txt");
        TestTrees.mtime(report, TestTrees.OLD_TIME);
        write(share, "docs/report.txt", "QUARTERLY REPORT"); // same size and time: taken as the same file
        TestTrees.mtime(share.resolve("docs/report.txt"), TestTrees.OLD_TIME);
        write(share, "docs/notes.txt", "notes, edited"); // another size: replaced

        CopyReport result = restore(new RestoreSelection(List.of(), RestoreSelection.Overwrite.IF_CHANGED, false));

        assertEquals("QUARTERLY REPORT", Files.readString(share.resolve("docs/report.txt")));
        assertEquals("notes", Files.readString(share.resolve("docs/notes.txt")));
        assertEquals(2, result.files());
        assertEquals(1, result.filesSkipped());
        assertEquals(16, result.bytesSkipped());
    }

    @Test
    void neverOnABackupWithoutAManifestLeavesWhatTheTargetHolds() throws Exception {
        write(share, "docs/notes.txt", "notes, edited");

        CopyReport result = restore(new RestoreSelection(List.of(), RestoreSelection.Overwrite.NEVER, false));

        assertEquals("notes, edited", Files.readString(share.resolve("docs/notes.txt")));
        assertEquals("quarterly report", Files.readString(share.resolve("docs/report.txt")));
        assertEquals(2, result.files());
        assertEquals(1, result.filesSkipped());
    }

    @Test
    void aSelectiveRestoreOrDeleteExtraOfABackupWithoutAManifestIsRefused() throws Exception {
        DriverException selective = assertThrows(DriverException.class, () -> restore(new RestoreSelection(
                List.of("docs"), RestoreSelection.Overwrite.ALWAYS, false)));
        DriverException mirror = assertThrows(DriverException.class, () -> restore(new RestoreSelection(
                List.of(), RestoreSelection.Overwrite.ALWAYS, true)));

        assertEquals(FailureDetail.NO_MANIFEST, selective.detail());
        assertEquals(FailureDetail.NO_MANIFEST, mirror.detail());
        assertFalse(selective.targetTouched());
        assertTrue(selective.getMessage().contains("no manifest"), selective.getMessage());
        assertEquals(List.of(), TestTrees.list(share));
    }
}
