package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backups that know their contents (issue 11), across the whole system as real processes: the manifest a backup
 * writes, browsing a folder of a backup, verifying a backup against its manifest, a restore that refuses damaged
 * files, selective restores with each overwrite policy and {@code delete_extra}, hard links, sparse files, xattrs
 * and ACLs through backup and restore, and a backup made before manifests (no manifest file).
 */
class BackupContentsIT {
    private static final Duration JOB = Duration.ofSeconds(120);
    private static final Set<String> IGNORED = Set.of("lost+found");
    /** The seven entries of the backup's folder {@code docs}, in the order browse lists them (by name). */
    private static final List<String> DOCS = List.of("docs/a.txt", "docs/b.txt", "docs/c.txt", "docs/d.txt",
            "docs/e.bin", "docs/latest", "docs/sub");
    private static final Instant A_TXT_MTIME = Instant.parse("2021-03-04T05:06:07Z");
    private static FerrySystem system;
    private static ApiClient alice;
    /** The share backed up by {@link #backup}: folders, a hard-link pair, a sparse file, an xattr and an ACL. */
    private static Path source;
    private static String backup;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("contents", true);
        system.startDataNode("node-1", Map.of());
        alice = system.user("alice", "p1");
        source = system.newExport("source");
        writeDocs(source);
        FileFidelity.write(source);
        Files.writeString(source.resolve("top.txt"), "at the root\n");
        String share = system.manageShare("source", "NFS", source, 1, "p1");
        backup = system.createBackup(alice, share);
    }

    private static void writeDocs(Path root) throws Exception {
        Path docs = Files.createDirectories(root.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "alpha, as backed up\n");
        Files.setPosixFilePermissions(docs.resolve("a.txt"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(docs.resolve("a.txt"), FileTime.from(A_TXT_MTIME));
        Files.writeString(docs.resolve("b.txt"), "bravo\n");
        Files.writeString(docs.resolve("c.txt"), "charlie\n");
        Files.writeString(docs.resolve("d.txt"), "delta\n");
        byte[] bytes = new byte[200_000];
        new Random(11).nextBytes(bytes);
        Files.write(docs.resolve("e.bin"), bytes);
        Files.createSymbolicLink(docs.resolve("latest"), Path.of("sub/deep.txt"));
        Files.writeString(Files.createDirectories(docs.resolve("sub")).resolve("deep.txt"), "deep down\n");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @AfterEach
    void nothingStaysMounted() throws Exception {
        assertEquals(List.of(), system.activeMounts());
    }

    @Test
    void aBackupWritesItsManifestBesideItsTreeAndKeepsLinksSparsenessAndAttributes() throws Exception {
        Path manifest = system.backups.resolve(backup + ".manifest");
        assertTrue(Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS), "the manifest is " + manifest);
        assertTrue(Files.size(manifest) > 0);
        try (Stream<Path> root = Files.list(system.backups)) {
            assertEquals(Set.of(backup, backup + ".manifest"), root.map(p -> p.getFileName().toString())
                    .filter(name -> name.contains(backup)).collect(Collectors.toSet()),
                    "the repository holds the backup's tree and its manifest, nothing else of it");
        }
        assertNoTemporaries(system.backups);
        assertEquals(TreeSnapshot.of(source, IGNORED), TreeSnapshot.of(system.backups.resolve(backup)));
        FileFidelity.assertKept(system.backups.resolve(backup), "the backup's repository copy");
        assertEquals("available", system.backup(backup).get("status").asText());
    }

    @Test
    void browsePagesThroughAFolderOfTheBackup() throws Exception {
        List<JsonNode> listed = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String page = "/v2/share-backups/" + backup + "/files?path=docs&limit=3";
        while (page != null) {
            String asked = page;
            ApiClient.Response response = alice.get(asked);
            assertEquals(200, response.status(), () -> asked + ": " + response);
            response.body().get("files").forEach(listed::add);
            pageSizes.add(response.body().get("files").size());
            page = nextLink(response.body());
            assertTrue(pageSizes.size() <= 3, "three pages of at most 3 entries hold 7: " + pageSizes);
        }
        assertEquals(List.of(3, 3, 1), pageSizes, "pages of 3, a next link while more follow");
        assertEquals(DOCS, listed.stream().map(f -> f.get("path").asText()).toList());

        JsonNode a = listed.get(0);
        assertEquals("file", a.get("type").asText(), a::toString);
        assertEquals(Files.size(source.resolve("docs/a.txt")), a.get("size").asLong());
        assertEquals(crc32c(source.resolve("docs/a.txt")), a.get("checksum").asText());
        assertMode(0640, a.get("mode"));
        assertMtime(A_TXT_MTIME, a.get("mtime"));
        JsonNode e = listed.get(4);
        assertEquals(200_000, e.get("size").asLong());
        assertEquals(crc32c(source.resolve("docs/e.bin")), e.get("checksum").asText());
        assertEquals("symlink", listed.get(5).get("type").asText(), listed.get(5)::toString);
        JsonNode sub = listed.get(6);
        assertEquals("directory", sub.get("type").asText(), sub::toString);
        assertTrue(sub.path("checksum").isNull() || sub.path("checksum").isMissingNode(), sub::toString);

        ApiClient.Response hidden = system.user("mallory", "p2").get("/v2/share-backups/" + backup + "/files?path=docs");
        assertEquals(404, hidden.status(), () -> "another project cannot see the backup: " + hidden);
    }

    @Test
    void verifyFindsAFlippedByteAndADeletedFileAndARestoreWritesNeitherButAllTheRest() throws Exception {
        Path d = system.newExport("damaged");
        Path folder = Files.createDirectories(d.resolve("d"));
        Random random = new Random(5);
        for (int i = 1; i <= 5; i++) {
            byte[] bytes = new byte[64 * 1024];
            random.nextBytes(bytes);
            Files.write(folder.resolve("f" + i + ".bin"), bytes);
        }
        Files.writeString(d.resolve("ok.txt"), "sound\n");
        String share = system.manageShare("damaged", "NFS", d, 1, "p1");
        String damaged = system.createBackup(alice, share);

        verify(damaged);
        JsonNode sound = awaitNewMessage(damaged, Set.of());
        assertEquals("913", sound.get("detail_id").asText(), sound::toString);
        assertEquals("902", sound.get("action_id").asText(), "Ferry's own action: verify share backup");
        assertEquals("INFO", sound.get("message_level").asText(), sound::toString);
        assertEquals("available", system.backup(damaged).get("status").asText());

        Path repo = system.backups.resolve(damaged);
        Path flipped = repo.resolve("d/f2.bin");
        byte[] bytes = Files.readAllBytes(flipped);
        bytes[1000] ^= (byte) 0xff;
        Files.write(flipped, bytes);
        Files.delete(repo.resolve("d/f4.bin"));

        verify(damaged);
        JsonNode report = awaitNewMessage(damaged, Set.of(sound.get("id").asText()));
        String text = report.get("user_message").asText();
        System.out.println("verify of a damaged backup: " + text);
        assertEquals("912", report.get("detail_id").asText(), report::toString);
        assertEquals("ERROR", report.get("message_level").asText(), report::toString);
        assertEquals(sound.get("action_id").asText(), report.get("action_id").asText(), "both are verify's");
        assertTrue(text.contains("d/f2.bin") && text.contains("d/f4.bin"), "names both damaged files: " + text);
        assertTrue(text.replace(damaged, "").contains(" 2 "), "counts them: " + text);
        assertEquals("available", system.backup(damaged).get("status").asText(), "a verify leaves the backup usable");

        Path t = system.newExport("damaged-target");
        String target = system.manageShare("damaged-target", "NFS", t, 1, "p1");
        restore(damaged, target);
        system.awaitShare(target, "backup_restoring_error", JOB);
        system.awaitBackup(damaged, "available", Duration.ofSeconds(30));
        JsonNode failed = awaitNewMessage(target, Set.of());
        assertEquals("912", failed.get("detail_id").asText(), failed::toString);
        String failure = failed.get("user_message").asText();
        System.out.println("restore of a damaged backup: " + failure);
        assertEquals("028", failed.get("action_id").asText(), failed::toString);
        assertTrue(failure.contains(" 2 "), "counts the damaged files: " + failure);
        assertTrue(failure.contains("d/f2.bin") || failure.contains("d/f4.bin"), "names the first: " + failure);
        assertFalse(Files.exists(t.resolve("d/f2.bin"), LinkOption.NOFOLLOW_LINKS), "the damaged file is not written");
        assertFalse(Files.exists(t.resolve("d/f4.bin"), LinkOption.NOFOLLOW_LINKS), "the missing file is not written");
        for (String sound1 : List.of("d/f1.bin", "d/f3.bin", "d/f5.bin", "ok.txt")) {
            assertTrue(Files.exists(t.resolve(sound1)), sound1 + " is restored");
            assertEquals(-1L, Files.mismatch(d.resolve(sound1), t.resolve(sound1)), sound1 + " is restored whole");
        }
        assertNoTemporaries(t);
    }

    @Test
    void aSelectiveRestoreWritesTheGivenFileAndFolderOnly() throws Exception {
        Path t = system.newExport("selective");
        String target = system.manageShare("selective", "NFS", t, 1, "p1");
        restore(backup, selection(target, List.of("docs/a.txt", "docs/sub"), "always", false));
        awaitRestored(target);

        assertEquals(Files.readString(source.resolve("docs/a.txt")), Files.readString(t.resolve("docs/a.txt")));
        assertEquals("deep down\n", Files.readString(t.resolve("docs/sub/deep.txt")));
        for (String left : List.of("docs/b.txt", "docs/e.bin", "docs/latest", "top.txt", "links", "disk", "attrs")) {
            assertFalse(Files.exists(t.resolve(left), LinkOption.NOFOLLOW_LINKS), left + " was not selected");
        }
        assertNoTemporaries(t);
    }

    @Test
    void eachOverwritePolicyTreatsFilesTheTargetHoldsAsAsked() throws Exception {
        String backedUp = Files.readString(source.resolve("docs/a.txt"));
        for (String policy : List.of("always", "if-changed", "never")) {
            Path t = system.newExport("overwrite-" + policy);
            Path docs = Files.createDirectories(t.resolve("docs"));
            Files.writeString(docs.resolve("a.txt"), "edited in the target since the backup\n");
            // cp -a keeps the mtime to the nanosecond (Files.copy keeps microseconds): identical as if-changed compares
            FileFidelity.run("cp", "-a", source.resolve("docs/b.txt").toString(), docs.resolve("b.txt").toString());
            Object identicalInode = inode(docs.resolve("b.txt"));
            String target = system.manageShare("overwrite-" + policy, "NFS", t, 1, "p1");

            restore(backup, selection(target, List.of("docs"), policy, false));
            awaitRestored(target);

            String a = Files.readString(docs.resolve("a.txt"));
            Object bInode = inode(docs.resolve("b.txt"));
            switch (policy) {
                case "always" -> {
                    assertEquals(backedUp, a, "always: the edited file is overwritten");
                    assertNotEquals(identicalInode, bInode, "always: even an identical file is written anew");
                }
                case "if-changed" -> {
                    assertEquals(backedUp, a, "if-changed: the edited file is overwritten");
                    assertEquals(identicalInode, bInode, "if-changed: the identical file is left as it is");
                }
                default -> {
                    assertEquals("edited in the target since the backup\n", a, "never: the target's file stays");
                    assertEquals(identicalInode, bInode, "never: the target's file stays");
                }
            }
            assertEquals("bravo\n", Files.readString(docs.resolve("b.txt")), policy);
            assertEquals("charlie\n", Files.readString(docs.resolve("c.txt")), policy + ": a missing file is restored");
            assertNoTemporaries(t);
        }
    }

    @Test
    void deleteExtraMirrorsTheRestoredFolderAndNothingOutsideIt() throws Exception {
        Path t = system.newExport("mirror");
        Files.createDirectories(t.resolve("docs/sub"));
        Files.writeString(t.resolve("docs/extra.txt"), "not in the backup\n");
        Files.writeString(t.resolve("docs/sub/extra-deep.txt"), "not in the backup either\n");
        Files.createDirectories(t.resolve("docs/extra-folder"));
        Files.writeString(t.resolve("docs/extra-folder/x.txt"), "x\n");
        Files.createDirectories(t.resolve("other"));
        Files.writeString(t.resolve("other/keep.txt"), "outside the restored folder\n");
        Files.writeString(t.resolve("keep.txt"), "at the root\n");
        String target = system.manageShare("mirror", "NFS", t, 1, "p1");

        restore(backup, selection(target, List.of("docs"), "always", true));
        awaitRestored(target);

        Map<String, String> backedUpDocs = TreeSnapshot.of(system.backups.resolve(backup).resolve("docs"));
        assertEquals(backedUpDocs, TreeSnapshot.of(t.resolve("docs")), "docs is a mirror of the backup's docs");
        assertEquals("outside the restored folder\n", Files.readString(t.resolve("other/keep.txt")));
        assertEquals("at the root\n", Files.readString(t.resolve("keep.txt")));
        assertFalse(Files.exists(t.resolve("top.txt")), "only docs was restored");
    }

    @Test
    void selectionsThatCannotBeRestoredAreRefusedAtOnceNamingWhy() throws Exception {
        Path t = system.newExport("refused");
        Files.writeString(t.resolve("mine.txt"), "untouched\n");
        String target = system.manageShare("refused", "NFS", t, 1, "p1");
        var before = TreeSnapshot.of(t);
        String action = "/v2/share-backups/" + backup + "/action";

        ApiClient.Response unknown = alice.post(action,
                Map.of("restore", selection(target, List.of("docs/a.txt", "docs/nope.txt"), "always", false)));
        assertEquals(400, unknown.status(), unknown::toString);
        assertTrue(badRequest(unknown).contains("docs/nope.txt"), "names the unknown path: " + unknown);
        for (String path : List.of("../etc", "docs/../../etc", "/etc", "docs//a.txt", "")) {
            ApiClient.Response refused = alice.post(action,
                    Map.of("restore", selection(target, List.of(path), "always", false)));
            assertEquals(400, refused.status(), () -> "'" + path + "': " + refused);
            assertTrue(badRequest(refused).contains(path.isEmpty() ? "empty" : path), "names what is wrong: " + refused);
        }
        ApiClient.Response policy = alice.post(action,
                Map.of("restore", selection(target, List.of("docs"), "sometimes", false)));
        assertEquals(400, policy.status(), policy::toString);
        assertTrue(badRequest(policy).contains("sometimes"), "names the unknown policy: " + policy);

        ApiClient.Response old = alice.atVersion("2.90").post(action,
                Map.of("restore", selection(target, List.of("docs"), "always", false)));
        assertEquals(400, old.status(), () -> "the object form needs 2.91: " + old);
        ApiClient.Response oldInPlace = alice.atVersion("2.90").post(action,
                "{\"restore\": {\"share_id\": null, \"paths\": [\"docs\"]}}");
        assertEquals(400, oldInPlace.status(), () -> "never a whole restore in place: " + oldInPlace);

        assertEquals("available", system.share(target).get("status").asText());
        assertEquals("available", system.backup(backup).get("status").asText());
        assertEquals("available", system.share(system.backup(backup).get("share_id").asText()).get("status").asText());
        assertEquals(before, TreeSnapshot.of(t), "nothing was written");
    }

    @Test
    void aWholeRestoreKeepsLinksSparsenessAndAttributes() throws Exception {
        Path t = system.newExport("whole");
        String target = system.manageShare("whole", "NFS", t, 1, "p1");
        restore(backup, target);
        awaitRestored(target);

        assertEquals(TreeSnapshot.of(system.backups.resolve(backup)), TreeSnapshot.of(t, IGNORED));
        FileFidelity.assertKept(t, "the restored share");
        assertNoTemporaries(t);
    }

    @Test
    void aBackupWithoutAManifestStillRestoresInFullAndRefusesTheRest() throws Exception {
        Path o = system.newExport("old");
        writeDocs(o);
        String share = system.manageShare("old", "NFS", o, 1, "p1");
        String old = system.createBackup(alice, share);
        // what a backup made before manifests looks like
        Files.delete(system.backups.resolve(old + ".manifest"));
        assertEquals(1, system.sql("UPDATE backups SET has_manifest = false WHERE id = ?", old));

        ApiClient.Response browse = alice.get("/v2/share-backups/" + old + "/files?path=docs");
        assertEquals(400, browse.status(), browse::toString);
        assertTrue(badRequest(browse).contains("no manifest"), browse::toString);
        ApiClient.Response verify = alice.post("/v2/share-backups/" + old + "/action", "{\"verify\": null}");
        assertEquals(400, verify.status(), verify::toString);
        assertTrue(badRequest(verify).contains("no manifest"), verify::toString);

        Path t = system.newExport("old-target");
        String target = system.manageShare("old-target", "NFS", t, 1, "p1");
        ApiClient.Response selective = alice.post("/v2/share-backups/" + old + "/action",
                Map.of("restore", selection(target, List.of("docs/a.txt"), "always", false)));
        assertEquals(400, selective.status(), selective::toString);
        assertTrue(badRequest(selective).contains("no manifest"), selective::toString);
        assertEquals("available", system.backup(old).get("status").asText());

        restore(old, target);
        awaitRestored(target);
        assertEquals(TreeSnapshot.of(system.backups.resolve(old)), TreeSnapshot.of(t), "the whole backup is back");
        assertNoTemporaries(t);
    }

    // --- helpers

    private static void verify(String backupId) throws Exception {
        ApiClient.Response response = alice.post("/v2/share-backups/" + backupId + "/action", "{\"verify\": null}");
        assertEquals(202, response.status(), response::toString);
    }

    private static void restore(String backupId, Object what) throws Exception {
        ApiClient.Response response = alice.post("/v2/share-backups/" + backupId + "/action", Map.of("restore", what));
        assertEquals(202, response.status(), response::toString);
    }

    /** The object form of restore (2.91). */
    private static Map<String, Object> selection(String shareId, List<String> paths, String overwrite,
                                                 boolean deleteExtra) {
        Map<String, Object> body = new HashMap<>();
        body.put("share_id", shareId);
        body.put("paths", paths);
        body.put("overwrite", overwrite);
        body.put("delete_extra", deleteExtra);
        return body;
    }

    /** Waits for the end of a restore into {@code target}: the target and the backup available again. */
    private static void awaitRestored(String target) {
        system.awaitShare(target, "available", JOB);
        system.awaitBackup(backup, "available", Duration.ofSeconds(30));
    }

    /** Waits for a user message about {@code resourceId} other than those in {@code seen} (ids) and returns it. */
    private static JsonNode awaitNewMessage(String resourceId, Set<String> seen) {
        return system.awaitMessage(resourceId, JOB, m -> !seen.contains(m.get("id").asText()));
    }

    private static String badRequest(ApiClient.Response response) {
        return response.body().at("/badRequest/message").asText();
    }

    /** The request path of the page's next link; null when no next link (the last page). */
    private static String nextLink(JsonNode page) {
        for (JsonNode link : page.path("files_links")) {
            if ("next".equals(link.path("rel").asText())) {
                URI href = URI.create(link.get("href").asText());
                return href.getRawPath() + (href.getRawQuery() == null ? "" : "?" + href.getRawQuery());
            }
        }
        return null;
    }

    private static String crc32c(Path file) throws Exception {
        CRC32C crc = new CRC32C();
        crc.update(Files.readAllBytes(file));
        return String.format("crc32c:%08x", crc.getValue());
    }

    private static void assertMode(int expected, JsonNode mode) {
        assertTrue(mode.isInt(), "mode is a number: " + mode);
        assertEquals(expected, mode.asInt(), () -> String.format("mode %o", mode.asInt()));
    }

    /** Oslo's time format, as every time in Manila's API. */
    private static void assertMtime(Instant expected, JsonNode mtime) {
        assertEquals(expected.toString().replace("Z", ".000000"), mtime.asText(), "mtime");
    }

    private static Object inode(Path file) throws Exception {
        return Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    private static void assertNoTemporaries(Path tree) throws Exception {
        try (Stream<Path> walk = Files.walk(tree)) {
            assertEquals(List.of(), walk.map(tree::relativize).filter(p -> p.getFileName() != null
                            && p.getFileName().toString().startsWith(".ferry-")).map(Path::toString).toList(),
                    "no temporary file is left in " + tree);
        }
    }
}
