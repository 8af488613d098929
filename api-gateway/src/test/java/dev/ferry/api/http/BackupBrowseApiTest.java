package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.service.BackupContents;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v2/share-backups/{id}/files} over HTTP, with a data node's answers played by a fake: pages with a next
 * link while more follow, entries in the API's shape, 400 for a backup without a manifest, a malformed or unknown
 * folder, 404 for a backup the caller cannot see and below 2.80.
 */
class BackupBrowseApiTest extends InProcessGateway {
    /** 2024-03-01T12:00:00.123456789Z in nanoseconds. */
    private static final long MTIME = 1_709_294_400_123_456_789L;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    /** A backup holding readme.txt and docs/ with five files, whichever backup is asked about. */
    private final BackupContents fake = new BackupContents() {
        private final Map<String, List<File>> folders = Map.of(
                "", List.of(new File("docs", "directory", 0, 0755, MTIME, null),
                        new File("readme.txt", "file", 12, 0644, MTIME, "crc32c:0a1b2c3d")),
                "docs", List.of(file("docs/a.txt"), file("docs/b.txt"), file("docs/c.txt"), file("docs/d.txt"),
                        new File("docs/link", "symlink", 0, 0777, MTIME, null)));

        @Override
        public Page browse(String backupId, String folder, int limit, long offset, String requestId) {
            asked.add(folder + "|" + limit + "|" + offset);
            List<File> all = folders.get(folder);
            if (all == null) {
                throw new Refused("the backup holds no folder '" + folder + "'", false, true);
            }
            int from = (int) Math.min(offset, all.size());
            int to = Math.min(all.size(), from + limit);
            return new Page(all.subList(from, to), to < all.size());
        }

        @Override
        public List<String> missingPaths(String backupId, List<String> paths, String requestId) {
            asked.add("missing " + paths);
            return paths.stream().filter(p -> !p.equals("docs") && !p.equals("readme.txt")
                    && !(p.startsWith("docs/") && folders.get("docs").stream().anyMatch(e -> e.path().equals(p))))
                    .toList();
        }
    };

    private static BackupContents.File file(String path) {
        return new BackupContents.File(path, "file", 4096, 0600, MTIME, "crc32c:00000001");
    }

    @Override
    protected BackupContents contents() {
        return fake;
    }

    private ApiClient.Response files(Backup backup, String query) {
        return api.backups("GET", "/v2/share-backups/" + backup.id() + "/files" + query).send();
    }

    private Backup backup() {
        return f.backupWithManifest(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);
    }

    @Test
    void theRootListsItsEntriesInTheApisShape() {
        Backup backup = backup();

        ApiClient.Response r = files(backup, "");

        assertEquals(200, r.status(), r.toString());
        JsonNode list = r.json().path("files");
        assertEquals(2, list.size(), r.toString());
        JsonNode docs = list.get(0);
        assertEquals("docs", docs.path("path").asText());
        assertEquals("directory", docs.path("type").asText());
        assertTrue(docs.path("checksum").isNull(), r.toString());
        JsonNode readme = list.get(1);
        assertEquals("readme.txt", readme.path("path").asText());
        assertEquals("file", readme.path("type").asText());
        assertEquals(12, readme.path("size").asLong());
        assertEquals(0644, readme.path("mode").asInt());
        assertEquals("2024-03-01T12:00:00.123456", readme.path("mtime").asText());
        assertEquals("crc32c:0a1b2c3d", readme.path("checksum").asText());
        assertFalse(r.json().has("files_links"), "no link when nothing follows: " + r);
    }

    @Test
    void aFolderPagesThroughWithNextLinksUntilTheLastPage() throws Exception {
        Backup backup = backup();
        List<String> seen = new ArrayList<>();
        String next = "/v2/share-backups/" + backup.id() + "/files?path=docs/&limit=2";
        int pages = 0;
        while (next != null) {
            ApiClient.Response r = api.backups("GET", next).send();
            assertEquals(200, r.status(), r.toString());
            pages++;
            r.json().path("files").forEach(e -> seen.add(e.path("path").asText()));
            JsonNode links = r.json().path("files_links");
            if (links.isMissingNode()) {
                next = null;
            } else {
                assertEquals("next", links.get(0).path("rel").asText());
                URI href = URI.create(links.get(0).path("href").asText());
                assertEquals("127.0.0.1", href.getHost());
                assertTrue(href.getRawQuery().contains("path=docs"), href.toString());
                next = href.getRawPath() + "?" + href.getRawQuery();
            }
        }
        assertEquals(3, pages);
        assertEquals(List.of("docs/a.txt", "docs/b.txt", "docs/c.txt", "docs/d.txt", "docs/link"), seen);
        assertTrue(asked.containsAll(List.of("docs|2|0", "docs|2|2", "docs|2|4")), asked.toString());
    }

    @Test
    void badFoldersBackupsWithoutManifestsAndBadPagingAre400() {
        Backup backup = backup();

        ApiClient.Response unknown = files(backup, "?path=photos");
        assertEquals(400, unknown.status(), unknown.toString());
        assertEquals("badRequest", unknown.fault());
        assertTrue(unknown.message().contains("'photos'"), unknown.message());

        for (String bad : List.of("/etc", "docs/../..", "docs//a", "./docs")) {
            ApiClient.Response r = files(backup, "?path=" + java.net.URLEncoder.encode(bad,
                    java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(400, r.status(), bad + ": " + r);
            assertTrue(r.message().contains("Invalid path"), r.message());
        }
        ApiClient.Response limit = files(backup, "?limit=-1");
        assertEquals(400, limit.status(), limit.toString());
        ApiClient.Response offset = files(backup, "?offset=x");
        assertEquals(400, offset.status(), offset.toString());

        Backup old = f.backup(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);
        ApiClient.Response none = files(old, "");
        assertEquals(400, none.status(), none.toString());
        assertEquals("Backup " + old.id() + " has no manifest: it was made before Ferry recorded the contents of "
                + "backups, so it can only be restored in full", none.message());
    }

    @Test
    void aSelectiveRestoreOfAPathTheBackupDoesNotHoldIs400NamingIt() {
        Backup backup = backup();
        String restore = "{\"restore\": {\"share_id\": null, \"paths\": [\"docs/a.txt\", \"docs/zz.txt\"]}}";

        ApiClient.Response r = api.backups("POST", "/v2/share-backups/" + backup.id() + "/action").body(restore)
                .send();

        assertEquals(400, r.status(), r.toString());
        assertEquals("badRequest", r.fault());
        assertTrue(r.message().contains("holds no path 'docs/zz.txt'"), r.message());
        assertTrue(asked.contains("missing [docs/a.txt, docs/zz.txt]"), asked.toString());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status(), "nothing started");

        Backup old = f.backup(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);
        ApiClient.Response none = api.backups("POST", "/v2/share-backups/" + old.id() + "/action").body(restore)
                .send();
        assertEquals(400, none.status(), none.toString());
        assertTrue(none.message().contains("has no manifest"), none.message());
    }

    @Test
    void backupsTheCallerCannotSeeAndOldVersionsAre404() {
        Backup backup = backup();

        ApiClient.Response other = api.backups("GET", "/v2/share-backups/" + backup.id() + "/files")
                .token("bob:p2").send();
        assertEquals(404, other.status(), other.toString());
        assertEquals("itemNotFound", other.fault());
        ApiClient.Response missing = api.backups("GET", "/v2/share-backups/no-such-backup/files").send();
        assertEquals(404, missing.status(), missing.toString());
        ApiClient.Response old = api.call("GET", "/v2/share-backups/" + backup.id() + "/files").version("2.79")
                .experimental().send();
        assertEquals(404, old.status(), old.toString());
        ApiClient.Response admin = api.backups("GET", "/v2/share-backups/" + backup.id() + "/files")
                .token("admin:admin").send();
        assertEquals(200, admin.status(), "an admin may browse any backup: " + admin);
    }
}
