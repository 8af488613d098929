package dev.ferry.drivers;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tenant who keeps swapping the folders a job is about to use for symbolic links to a folder outside the
 * roots, and files for fifos, while the copy engine and the deleter run (200 times each). Whatever the racer
 * manages, nothing outside the roots is created, changed, deleted or read, and every run ends in bounded time.
 */
class HostileTenantRaceTest {

    private static final int RUNS = 200;
    private static final int FOLDERS = 12;
    private static final int FILES = 4;
    private static final String SECRET = "only the data node may read this";

    /** mkfifoat, which Java lacks: the racer's way to put a fifo where a file was. */
    static final class Fifos {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static native int mkfifo(byte[] path, int mode);

        static boolean make(Path path) {
            byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
            return mkfifo(java.util.Arrays.copyOf(bytes, bytes.length + 1), 0644) == 0;
        }
    }

    @TempDir
    Path tmp;
    Path outside;
    final AtomicBoolean racing = new AtomicBoolean();
    final AtomicLong swaps = new AtomicLong();
    Thread racer;

    @BeforeEach
    void outsideFolder() throws IOException {
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.writeString(outside.resolve("keep.txt"), "keep");
    }

    @AfterEach
    void stopRacer() throws InterruptedException {
        racing.set(false);
        if (racer != null) {
            racer.join(10_000);
        }
    }

    private static void fill(Path root) throws IOException {
        for (int d = 0; d < FOLDERS; d++) {
            Path folder = Files.createDirectories(root.resolve("d" + d).resolve("inner"));
            for (int f = 0; f < FILES; f++) {
                Files.writeString(folder.getParent().resolve("f" + f), "file " + f);
                Files.writeString(folder.resolve("g" + f), "inner " + f);
            }
        }
    }

    /** Swaps d<i> (and d<i>/inner) for links to the outside folder, and files for fifos, until stopped. */
    private void race(Path root, boolean fifos) {
        racing.set(true);
        racer = new Thread(() -> {
            long n = 0;
            while (racing.get()) {
                n++;
                int d = (int) (n % FOLDERS);
                Path folder = root.resolve("d" + d);
                try {
                    Path moved = root.resolve(".moved-" + n);
                    Files.move(folder, moved);
                    Files.createSymbolicLink(folder, outside);
                    swaps.incrementAndGet();
                    Path inner = moved.resolve("inner");
                    if (Files.isDirectory(inner, LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(inner, moved.resolve(".inner-" + n));
                        Files.createSymbolicLink(inner, outside);
                        swaps.incrementAndGet();
                    }
                    if (fifos) {
                        Path file = moved.resolve("f" + (n % FILES));
                        if (Files.deleteIfExists(file) && Fifos.make(file)) {
                            swaps.incrementAndGet();
                        }
                    }
                    Files.delete(folder);
                    Files.move(moved, folder);
                } catch (IOException e) {
                    // the job moved on or removed it: try the next one
                }
            }
        }, "tenant-racer");
        racer.setDaemon(true);
        racer.start();
    }

    private void assertOutsideUntouched() throws IOException {
        try (Stream<Path> entries = Files.list(outside)) {
            assertEquals(List.of("keep.txt", "secret.txt"), entries.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "something was created in or deleted from the outside folder");
        }
        assertEquals(SECRET, Files.readString(outside.resolve("secret.txt")));
        assertEquals("keep", Files.readString(outside.resolve("keep.txt")));
    }

    private static CopyFailedException copyOrFailure(TreeCopier copier, Path from, Path to) {
        try {
            copier.copy(from, to, ProgressListener.ignoring(), new Cancellation());
            return null;
        } catch (CopyFailedException e) {
            return e;
        }
    }

    @Test
    void aRestoreNeverWritesThroughFoldersSwappedForLinks() throws Exception {
        Path backup = Files.createDirectory(tmp.resolve("backup"));
        fill(backup);
        TreeCopier copier = new TreeCopier(CopyOptions.of(List.of(), 2, false));
        int failed = 0;
        for (int run = 0; run < RUNS; run++) {
            Path target = Files.createDirectory(tmp.resolve("target-" + run));
            race(target, false);
            CopyFailedException failure = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> copyOrFailure(copier, backup, target));
            stopRacer();
            failed += failure == null ? 0 : 1;
            assertOutsideUntouched();
        }
        System.out.printf("restore race: %d runs, %d swaps, %d runs failed, 0 entries outside%n", RUNS, swaps.get(),
                failed);
        assertTrue(swaps.get() > RUNS, "the racer must have swapped folders during the runs");
    }

    @Test
    void aRestoreFromAManifestNeverWritesReadsOrDeletesThroughFoldersSwappedForLinks() throws Exception {
        Path backup = Files.createDirectory(tmp.resolve("backup"));
        fill(backup);
        Manifest manifest = InMemoryManifest.of(backup, false);
        int failed = 0;
        for (int run = 0; run < RUNS; run++) {
            Path target = Files.createDirectory(tmp.resolve("target-" + run));
            fill(target); // identical files to compare, and with extras to delete
            Files.writeString(target.resolve("d" + (run % FOLDERS)).resolve("extra.txt"), "not in the backup");
            race(target, false);
            boolean resumed = run % 2 == 0;
            boolean ok = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                try (DirHandle source = DirHandle.openRoot(backup); DirHandle targetRoot = DirHandle.openRoot(target)) {
                    new ManifestRestoreRun(CopyOptions.of(List.of(), 2, false), manifest, source, targetRoot,
                            new RestoreSelection(List.of(), RestoreSelection.Overwrite.IF_CHANGED, true), resumed,
                            "race", ProgressListener.ignoring(), new Cancellation(), XattrWriter.THROUGH_HANDLE).run();
                    return true;
                } catch (CopyFailedException e) {
                    return false;
                }
            });
            stopRacer();
            failed += ok ? 0 : 1;
            assertOutsideUntouched();
        }
        System.out.printf("manifest restore race: %d runs, %d swaps, %d runs failed, 0 entries outside%n", RUNS,
                swaps.get(), failed);
        assertTrue(swaps.get() > RUNS, "the racer must have swapped folders during the runs");
    }

    @Test
    void aBackupNeverReadsThroughFoldersSwappedForLinksNorOpensFifos() throws Exception {
        Path share = Files.createDirectory(tmp.resolve("share"));
        fill(share);
        TreeCopier copier = new TreeCopier(CopyOptions.of(List.of(), 2, false));
        int failed = 0;
        for (int run = 0; run < RUNS; run++) {
            Path backup = Files.createDirectory(tmp.resolve("backup-" + run));
            race(share, true);
            CopyFailedException failure = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> copyOrFailure(copier, share, backup));
            stopRacer();
            failed += failure == null ? 0 : 1;
            try (Stream<Path> copied = Files.walk(backup)) {
                for (Path file : copied.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    assertTrue(!Files.readString(file).equals(SECRET), "the backup read outside the share: " + file);
                }
            }
            assertOutsideUntouched();
        }
        System.out.printf("backup race: %d runs, %d swaps, %d runs failed, 0 bytes read outside%n", RUNS,
                swaps.get(), failed);
        assertTrue(swaps.get() > RUNS, "the racer must have swapped folders during the runs");
    }

    @Test
    void aDeleteNeverRemovesThroughFoldersSwappedForLinks() throws Exception {
        int failed = 0;
        for (int run = 0; run < RUNS; run++) {
            Path share = Files.createDirectory(tmp.resolve("share-" + run));
            fill(share);
            race(share, false);
            boolean ok = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                try (DirHandle base = DirHandle.openRoot(tmp)) {
                    new TreeDeleter().deleteIfExists(base, Names.of(share.getFileName().toString()),
                            new Cancellation());
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            stopRacer();
            failed += ok ? 0 : 1;
            assertOutsideUntouched();
        }
        System.out.printf("delete race: %d runs, %d swaps, %d runs failed, 0 entries deleted outside%n", RUNS,
                swaps.get(), failed);
        assertTrue(swaps.get() > RUNS, "the racer must have swapped folders during the runs");
    }

    @Test
    void measuringNeverCountsThroughFoldersSwappedForLinks() throws Exception {
        Path share = Files.createDirectory(tmp.resolve("share"));
        fill(share);
        Files.writeString(outside.resolve("big.bin"), "x".repeat(1_000_000));
        long outsideBytes = 1_000_000;
        for (int run = 0; run < RUNS; run++) {
            race(share, false);
            long measured = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                try (DirHandle root = DirHandle.openRoot(share)) {
                    return new TreeSizer(new IgnoreList(List.of())).size(root, new StopSignal(new Cancellation()))
                            .bytes();
                }
            });
            stopRacer();
            // a folder renamed during the walk may be counted twice; the outside file would add a million bytes
            assertTrue(measured < outsideBytes, "measured " + measured + " bytes: the walk counted the outside folder");
        }
        Files.delete(outside.resolve("big.bin"));
        assertOutsideUntouched();
    }
}
