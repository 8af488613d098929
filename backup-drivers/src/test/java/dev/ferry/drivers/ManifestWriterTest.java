package dev.ferry.drivers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestWriterTest {

    @TempDir
    Path repository;

    @Test
    void roundTripKeepsEveryFieldAndTheWalkOrder() throws Exception {
        Path file = repository.resolve(Manifest.fileName("b1"));
        byte[] xattrs = Xattrs.encode(List.of(new Xattrs.Attribute(bytes("user.ferry.colour"), bytes("blue"))));
        byte[] oddName = {'d', 'o', 'c', 's', '/', (byte) 0xff, 'x'};
        try (ManifestWriter writer = ManifestWriter.create(file)) {
            assertEquals(1, writer.append(directory("docs")));
            assertEquals(2, writer.append(new ManifestEntry(0, bytes("docs/a.txt"), ManifestEntry.FILE, 5, 0644,
                    1000, 1001, 11L, 22L, null, 0, 0xcafebabe, false, xattrs)));
            assertEquals(3, writer.append(new ManifestEntry(0, bytes("docs/link"), ManifestEntry.SYMLINK, 0, 0777,
                    0, 0, 3L, 4L, bytes("a.txt"), 0, 0, false, null)));
            assertEquals(4, writer.append(new ManifestEntry(0, bytes("docs/hard"), ManifestEntry.FILE, 5, 0600,
                    0, 0, 3L, 4L, null, 2, 0xcafebabe, false, null)));
            writer.markLinkGroupFirst(2);
            assertEquals(5, writer.append(new ManifestEntry(0, oddName, ManifestEntry.FILE, 1L << 36, 04755, 7, 8,
                    -1L, Long.MAX_VALUE, null, 0, -1, true, null)));
            assertTrue(Files.exists(writer.temporaryFile()));
            writer.complete();
        }
        assertEquals(List.of(file), listing());

        try (Manifest manifest = Manifests.open(repository, "b1")) {
            assertNotNull(manifest);
            assertEquals(5, manifest.entryCount());
            List<ManifestEntry> all = new ArrayList<>();
            manifest.forEach(all::add);
            assertEquals(List.of("docs", "docs/a.txt", "docs/link", "docs/hard"),
                    all.subList(0, 4).stream().map(ManifestEntry::pathText).toList());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), all.stream().map(ManifestEntry::id).toList());

            ManifestEntry a = manifest.find(bytes("docs/a.txt"));
            assertEquals(ManifestEntry.FILE, a.type());
            assertEquals(5, a.size());
            assertEquals(0644, a.mode());
            assertEquals(1000, a.uid());
            assertEquals(1001, a.gid());
            assertEquals(11L, a.atimeNanos());
            assertEquals(22L, a.mtimeNanos());
            assertEquals(2, a.linkGroup(), "the first of a hard-link group is its own group");
            assertEquals("crc32c:cafebabe", a.checksumText());
            assertEquals("user.ferry.colour", Xattrs.decode(a.xattrs()).get(0).nameText());
            assertEquals(2, manifest.find(bytes("docs/hard")).linkGroup());
            assertEquals("a.txt", new String(manifest.find(bytes("docs/link")).linkTarget(), StandardCharsets.UTF_8));
            assertNull(manifest.find(bytes("docs/link")).xattrs());

            ManifestEntry odd = manifest.byId(5);
            assertArrayEquals(oddName, odd.path());
            assertEquals(1L << 36, odd.size());
            assertEquals(04755, odd.mode());
            assertEquals(Long.MAX_VALUE, odd.mtimeNanos());
            assertEquals(-1, odd.checksum());
            assertTrue(odd.sparse());
            assertNull(manifest.byId(6));
            assertNull(manifest.find(bytes("docs/none")));
            assertNull(manifest.find(new byte[0]));
        }
    }

    @Test
    void aBackupWithoutAManifestHasNone() throws IOException {
        assertNull(Manifests.open(repository, "old-backup"));
    }

    @Test
    void closingWithoutCompletingLeavesNothing() throws IOException {
        Path file = repository.resolve(Manifest.fileName("b2"));
        try (ManifestWriter writer = ManifestWriter.create(file)) {
            for (int i = 0; i < ManifestWriter.BATCH + 5; i++) {
                writer.append(directory("d" + i));
            }
        }
        assertEquals(List.of(), listing());
        assertNull(Manifests.open(repository, "b2"));
    }

    @Test
    void aCompletedWriterTakesNoMoreEntries() throws IOException {
        try (ManifestWriter writer = ManifestWriter.create(repository.resolve(Manifest.fileName("b3")))) {
            writer.complete();
            assertThrows(IOException.class, () -> writer.append(directory("late")));
        }
        try (Manifest manifest = Manifests.open(repository, "b3")) {
            assertEquals(0, manifest.entryCount());
            assertEquals(List.of(), manifest.children(new byte[0], 10, 0));
        }
    }

    @Test
    void aFileThatIsNotAManifestIsRefusedSayingSo() throws IOException {
        Files.writeString(repository.resolve(Manifest.fileName("b4")), "not a database");
        IOException refused = assertThrows(IOException.class, () -> Manifests.open(repository, "b4"));
        assertTrue(refused.getMessage().contains("b4.manifest"), refused.getMessage());
    }

    @Test
    void forEachUnderGivesTheEntryThenItsDescendantsOnly() throws IOException {
        Path file = repository.resolve(Manifest.fileName("b5"));
        try (ManifestWriter writer = ManifestWriter.create(file)) {
            writer.append(directory("a"));
            writer.append(directory("ab"));
            writer.append(directory("a/b"));
            writer.append(file("ab/x"));
            writer.append(file("a/b/c"));
            writer.append(file("a.txt"));
            writer.append(file("a/y"));
            writer.append(directory("a/b/d"));
            writer.append(file("a/b/d/e"));
            writer.complete();
        }
        try (Manifest manifest = SqliteManifest.open(file)) {
            assertEquals(List.of("a", "a/b", "a/b/c", "a/y", "a/b/d", "a/b/d/e"), under(manifest, "a"));
            assertEquals(List.of("a/b", "a/b/c", "a/b/d", "a/b/d/e"), under(manifest, "a/b"));
            assertEquals(List.of("a/y"), under(manifest, "a/y"));
            assertEquals(List.of(), under(manifest, "a/z"));
            assertEquals(9, under(manifest, "").size());
        }
    }

    @Test
    void childrenArePagedInNameByteOrder() throws IOException {
        Path file = repository.resolve(Manifest.fileName("b6"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            names.add(String.format("f%03d", (i * 7919) % 250));
        }
        names.add("Zed");
        names.add("é");
        try (ManifestWriter writer = ManifestWriter.create(file)) {
            writer.append(directory("dir"));
            writer.append(directory("dir/sub"));
            for (String name : names) {
                writer.append(file("dir/" + name));
            }
            writer.append(file("dir/sub/deeper"));
            writer.append(file("top"));
            writer.complete();
        }
        List<String> expected = new ArrayList<>(names);
        expected.add("sub");
        expected.sort((x, y) -> java.util.Arrays.compareUnsigned(bytes(x), bytes(y)));
        assertEquals("Zed", expected.get(0));
        assertEquals("é", expected.get(expected.size() - 1));
        try (Manifest manifest = SqliteManifest.open(file)) {
            List<String> paged = new ArrayList<>();
            for (long offset = 0; ; offset += 100) {
                List<ManifestEntry> page = manifest.children(bytes("dir"), 100, offset);
                page.forEach(entry -> paged.add(entry.pathText().substring("dir/".length())));
                if (page.size() < 100) {
                    break;
                }
            }
            assertEquals(expected, paged);
            assertEquals(List.of("dir", "top"),
                    manifest.children(new byte[0], 10, 0).stream().map(ManifestEntry::pathText).toList());
            assertEquals(List.of(), manifest.children(bytes("nowhere"), 10, 0));
        }
    }

    @Test
    void appendsFromManyThreadsGetDistinctIds() throws Exception {
        Path file = repository.resolve(Manifest.fileName("b7"));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (ManifestWriter writer = ManifestWriter.create(file)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        writer.append(file("t" + thread + "-" + i));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            writer.complete();
        } finally {
            threads.shutdown();
        }
        try (Manifest manifest = SqliteManifest.open(file)) {
            assertEquals(20_000, manifest.entryCount());
            long[] count = {0};
            long[] lastId = {0};
            manifest.forEach(entry -> {
                count[0]++;
                assertTrue(entry.id() > lastId[0]);
                lastId[0] = entry.id();
            });
            assertEquals(20_000, count[0]);
        }
    }

    @Test
    void aManifestOf200000EntriesIsWrittenAndWalkedWithoutHoldingIt() throws IOException {
        Path file = repository.resolve(Manifest.fileName("big"));
        try (ManifestWriter writer = ManifestWriter.create(file)) {
            for (int d = 0; d < 2_000; d++) {
                writer.append(directory("d" + d));
                for (int f = 0; f < 99; f++) {
                    writer.append(file("d" + d + "/f" + f));
                }
            }
            writer.complete();
        }
        try (Manifest manifest = SqliteManifest.open(file)) {
            assertEquals(200_000, manifest.entryCount());
            long[] walked = {0};
            manifest.forEach(entry -> walked[0]++);
            assertEquals(200_000, walked[0]);
            assertEquals("d1999/f98", manifest.byId(200_000).pathText());
            assertEquals(List.of("d1000/f10", "d1000/f11"),
                    manifest.children(bytes("d1000"), 2, 2).stream().map(ManifestEntry::pathText).toList());
        }
    }

    private List<String> under(Manifest manifest, String path) throws IOException {
        List<String> paths = new ArrayList<>();
        manifest.forEachUnder(bytes(path), entry -> paths.add(entry.pathText()));
        return paths;
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(repository)) {
            return files.toList();
        }
    }

    private static ManifestEntry directory(String path) {
        return new ManifestEntry(0, bytes(path), ManifestEntry.DIRECTORY, 0, 0755, 0, 0, 1L, 2L, null, 0, 0, false,
                null);
    }

    private static ManifestEntry file(String path) {
        return new ManifestEntry(0, bytes(path), ManifestEntry.FILE, 3, 0644, 0, 0, 1L, 2L, null, 0, 123, false, null);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
