package dev.ferry.drivers;

import dev.ferry.messages.FailureDetail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;

import static dev.ferry.drivers.TestTrees.OLD_TIME;
import static dev.ferry.drivers.TestTrees.link;
import static dev.ferry.drivers.TestTrees.mode;
import static dev.ferry.drivers.TestTrees.mtime;
import static dev.ferry.drivers.TestTrees.write;
import static dev.ferry.drivers.TestTrees.writeRandom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A backup records its manifest while it copies, and keeps hard links, holes, extended attributes and ACLs. */
class NfsBackupDriverManifestTest {

    private static final long SPARSE_SIZE = 64L * 1024 * 1024;

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
    }

    private CopyReport backUp(String backupId, Cancellation cancellation, ProgressListener progress)
            throws DriverException {
        return driver.backup(new BackupRequest(backupId, new ShareLocation("share-a", "NFS", share.toString())),
                progress, cancellation);
    }

    @Test
    void aBackupKeepsHardLinksHolesAndAttributesAndRecordsEveryEntryWithItsChecksum() throws Exception {
        write(share, "docs/report.txt", "quarterly report");
        writeRandom(share, "docs/deep/big.bin", 3 * 1024 * 1024 + 17, 3);
        write(share, "docs/empty.txt", "");
        mode(write(share, "docs/private.txt", "private"), "rw-------");
        link(share, "latest", "docs/report.txt");
        writeRandom(share, "data/one.bin", 100_000, 4);
        Files.createLink(share.resolve("docs/two.bin"), share.resolve("data/one.bin"));
        writeSparse(share.resolve("data/sparse.img"));
        setXattr(share.resolve("docs/report.txt"), "ferry.colour", "blue");
        setXattr(share.resolve("docs"), "ferry.colour", "green");
        TestTrees.run(List.of("setfacl", "-m", "u:4321:rw", share.resolve("docs/private.txt").toString()));
        TestTrees.run(List.of("setfacl", "-d", "-m", "u:4321:rwx", share.resolve("data").toString()));
        mtime(share.resolve("docs"), OLD_TIME);

        CopyReport report = backUp("b-1", new Cancellation(), ProgressListener.ignoring());

        assertTrue(report.manifestWritten());
        assertEquals(7, report.files());
        assertEquals(List.of(repository.resolve("b-1"), repository.resolve("b-1.manifest")),
                TestTrees.list(repository), "the manifest beside the tree, no temporary left");
        Path copy = repository.resolve("b-1");
        assertEquals(Files.getAttribute(copy.resolve("data/one.bin"), "unix:ino"),
                Files.getAttribute(copy.resolve("docs/two.bin"), "unix:ino"), "hard links stay one file");
        assertEquals(2, Files.getAttribute(copy.resolve("docs/two.bin"), "unix:nlink"));
        assertEquals(SPARSE_SIZE, Files.size(copy.resolve("data/sparse.img")));
        assertTrue(allocatedBytes(copy.resolve("data/sparse.img")) < 1024 * 1024,
                "the copy of a sparse file stays sparse: " + allocatedBytes(copy.resolve("data/sparse.img")));
        assertEquals(crc32c(share.resolve("data/sparse.img")), crc32c(copy.resolve("data/sparse.img")));
        assertEquals("blue", xattr(copy.resolve("docs/report.txt"), "ferry.colour"));
        assertEquals("green", xattr(copy.resolve("docs"), "ferry.colour"));
        assertTrue(getfacl(copy.resolve("docs/private.txt")).contains("user:4321:rw-"));
        assertTrue(getfacl(copy.resolve("data")).contains("default:user:4321:rwx"));
        assertFalse(getfacl(copy.resolve("data/one.bin")).contains("4321"),
                "a copied folder's default ACL does not pass on to what was copied into it");
        TreeAssert.assertSameTree(share, copy);

        try (Manifest manifest = Manifests.open(repository, "b-1")) {
            assertNotNull(manifest);
            Map<String, ManifestEntry> entries = new HashMap<>();
            Map<String, Long> ids = new HashMap<>();
            manifest.forEach(entry -> {
                entries.put(entry.pathText(), entry);
                ids.put(entry.pathText(), entry.id());
                String parent = entry.pathText().contains("/")
                        ? entry.pathText().substring(0, entry.pathText().lastIndexOf('/')) : null;
                if (parent != null) {
                    assertTrue(ids.containsKey(parent), "a folder comes before its content: " + entry.pathText());
                }
            });
            assertEquals(List.of("data", "data/one.bin", "data/sparse.img", "docs", "docs/deep", "docs/deep/big.bin",
                    "docs/empty.txt", "docs/private.txt", "docs/report.txt", "docs/two.bin", "latest"),
                    entries.keySet().stream().sorted().toList());
            assertEquals(11, manifest.entryCount());
            for (ManifestEntry entry : entries.values()) {
                Path source = share.resolve(entry.pathText());
                assertEquals(Files.getAttribute(source, "unix:mode", LinkOption.NOFOLLOW_LINKS) instanceof Integer m
                        ? m & 07777 : -1, entry.mode(), entry.pathText());
                assertEquals(Files.getAttribute(source, "unix:uid", LinkOption.NOFOLLOW_LINKS), entry.uid());
                assertEquals(Files.getLastModifiedTime(source, LinkOption.NOFOLLOW_LINKS).to(
                        java.util.concurrent.TimeUnit.NANOSECONDS), entry.mtimeNanos(), entry.pathText());
                if (entry.type().equals(ManifestEntry.FILE)) {
                    assertEquals(Files.size(source), entry.size(), entry.pathText());
                    assertEquals(crc32c(source), entry.checksum(), entry.pathText());
                }
            }
            assertEquals(ManifestEntry.SYMLINK, entries.get("latest").type());
            assertEquals("docs/report.txt", new String(entries.get("latest").linkTarget(), StandardCharsets.UTF_8));
            assertEquals(ManifestEntry.DIRECTORY, entries.get("docs").type());
            assertTrue(entries.get("data/sparse.img").sparse());
            assertFalse(entries.get("docs/deep/big.bin").sparse());
            assertEquals("crc32c:00000000", entries.get("docs/empty.txt").checksumText());

            ManifestEntry one = entries.get("data/one.bin");
            ManifestEntry two = entries.get("docs/two.bin");
            ManifestEntry firstLink = one.id() < two.id() ? one : two;
            ManifestEntry laterLink = firstLink == one ? two : one;
            assertEquals(firstLink.id(), firstLink.linkGroup(), "the first link heads its group");
            assertEquals(firstLink.id(), laterLink.linkGroup());
            assertEquals(0, entries.get("docs/report.txt").linkGroup());

            assertEquals(Map.of("user.ferry.colour", "blue"), decoded(entries.get("docs/report.txt").xattrs()));
            assertEquals(Map.of("user.ferry.colour", "green"), decoded(entries.get("docs").xattrs()));
            assertTrue(decoded(entries.get("docs/private.txt").xattrs()).containsKey("system.posix_acl_access"));
            assertTrue(decoded(entries.get("data").xattrs()).containsKey("system.posix_acl_default"));
            assertNull(entries.get("docs/empty.txt").xattrs());
        }
    }

    @Test
    void checksumVerificationReadsTheCopyBackAndAgrees() throws Exception {
        driver = new NfsBackupDriver(NfsDriverConfig.local(repository).withCopy(List.of(), 2, true));
        writeRandom(share, "a.bin", 2 * 1024 * 1024 + 3, 9);
        writeSparse(share.resolve("s.img"));

        CopyReport report = backUp("b-v", new Cancellation(), ProgressListener.ignoring());

        assertTrue(report.manifestWritten());
        try (Manifest manifest = Manifests.open(repository, "b-v")) {
            assertEquals(crc32c(share.resolve("a.bin")), manifest.find(bytes("a.bin")).checksum());
            assertEquals(crc32c(share.resolve("s.img")), manifest.find(bytes("s.img")).checksum());
        }
    }

    @Test
    void aCancelledBackupLeavesNoManifestNorTemporary() throws Exception {
        for (int i = 0; i < 200; i++) {
            writeRandom(share, "d" + (i % 10) + "/f" + i, 20_000, i);
        }
        Files.writeString(repository.resolve("b-2.manifest"), "an earlier attempt's manifest");
        Cancellation cancellation = new Cancellation();

        DriverException failure = assertThrows(DriverException.class, () -> backUp("b-2", cancellation,
                progress -> cancellation.cancel())); // the first report comes once the copy has started

        assertEquals(FailureDetail.COPY_FAILED, failure.detail());
        assertTrue(failure.getMessage().contains("cancelled"), failure.getMessage());
        assertEquals(List.of(repository.resolve("b-2")), TestTrees.list(repository));
        assertNull(Manifests.open(repository, "b-2"));
    }

    @Test
    void aFailedBackupLeavesNoManifestNorTemporary() throws Exception {
        assumeTrue(TestTrees.isRoot(), "mounting a small tmpfs needs root");
        write(share, "small.txt", "fits");
        writeRandom(share, "big.bin", 4 * 1024 * 1024, 5);
        try (SmallTmpfs small = SmallTmpfs.mount(repository, "1m")) {
            DriverException failure = assertThrows(DriverException.class, () -> backUp("b-3", new Cancellation(),
                    ProgressListener.ignoring()));

            assertEquals(FailureDetail.COPY_FAILED, failure.detail());
            assertEquals(List.of(repository.resolve("b-3")), TestTrees.list(repository));
        }
    }

    @Test
    void deletingABackupRemovesItsManifest() throws Exception {
        write(share, "a.txt", "a");
        backUp("b-4", new Cancellation(), ProgressListener.ignoring());
        backUp("b-5", new Cancellation(), ProgressListener.ignoring());
        Files.writeString(repository.resolve("b-4.manifest.tmp-0123456789abcdef"), "left by a crash");

        driver.delete(new BackupDeleteRequest("b-4"), new Cancellation());

        assertEquals(List.of(repository.resolve("b-5"), repository.resolve("b-5.manifest")),
                TestTrees.list(repository));
    }

    @Test
    void anotherBackupOfTheSameIdReplacesTheManifest() throws Exception {
        write(share, "a.txt", "a");
        backUp("b-6", new Cancellation(), ProgressListener.ignoring());
        write(share, "b.txt", "b");

        backUp("b-6", new Cancellation(), ProgressListener.ignoring());

        try (Manifest manifest = Manifests.open(repository, "b-6")) {
            assertEquals(2, manifest.entryCount());
            assertNotNull(manifest.find(bytes("b.txt")));
        }
    }

    /** 64 MiB with 4 KiB of data at the start and 8 KiB at 40 MiB; the rest holes. */
    static void writeSparse(Path file) throws IOException {
        Random random = new Random(11);
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(SPARSE_SIZE);
            byte[] data = new byte[4096];
            random.nextBytes(data);
            out.write(data);
            out.seek(40L * 1024 * 1024);
            data = new byte[8192];
            random.nextBytes(data);
            out.write(data);
        }
    }

    static int crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int read; (read = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, read);
            }
        }
        return (int) crc.getValue();
    }

    static long allocatedBytes(Path file) throws IOException, InterruptedException {
        return Long.parseLong(output(List.of("stat", "-c", "%b", file.toString())).trim()) * 512;
    }

    static String getfacl(Path file) throws IOException, InterruptedException {
        return output(List.of("getfacl", "-p", file.toString()));
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), command + ": " + output);
        return output;
    }

    static void setXattr(Path file, String name, String value) throws IOException {
        Files.getFileAttributeView(file, UserDefinedFileAttributeView.class)
                .write(name, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
    }

    static String xattr(Path file, String name) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        ByteBuffer value = ByteBuffer.allocate(view.size(name));
        view.read(name, value);
        return new String(value.array(), StandardCharsets.UTF_8);
    }

    private static Map<String, String> decoded(byte[] xattrs) throws IOException {
        Map<String, String> attributes = new HashMap<>();
        for (Xattrs.Attribute attribute : Xattrs.decode(xattrs)) {
            attributes.put(attribute.nameText(), new String(attribute.value(), StandardCharsets.ISO_8859_1));
        }
        return attributes;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
