package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.ApiConfig;
import dev.ferry.api.service.ExportPath;
import dev.ferry.messages.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /v2/shares/manage} takes only {@code host:/absolute/path} or an absolute local path, and never an
 * export that equals, lies inside or contains another share's, the base export of {@code subdir} shares or the
 * backup repository: a data node mounts a share's export as root, so such an export would let one tenant's share
 * reach another's data or every project's backups. Export paths here are not local folders (no local mode), so
 * a local path need not exist. A policy file lets members manage too, to see what a caller who may not see the
 * other share is told.
 */
class ManageExportApiTest extends InProcessGateway {
    private static final String ADMIN = "admin:ops";
    private static final String BASE = "nfs.example:/exports/ferry";
    private static final String BACKUPS = "NFS.example:/backups/";
    private Path policy;

    @Override
    protected ApiConfig config(ApiConfig noauth) throws Exception {
        policy = Files.createTempFile("ferry-policy-", ".json");
        Files.writeString(policy, "{\"share:manage\": \"role:member\"}");
        return noauth.withExports(BASE, BACKUPS, false).withAuth(ApiConfig.NOAUTH, null, null, policy);
    }

    @AfterAll
    void deletePolicy() throws Exception {
        Files.deleteIfExists(policy);
    }

    private ApiClient.Response manage(String token, String exportPath, String project) {
        ObjectNode share = Json.object();
        share.put("protocol", "NFS");
        share.put("export_path", exportPath);
        share.put("size", 1);
        share.put("project_id", project);
        ObjectNode body = Json.object();
        body.set("share", share);
        return api.call("POST", "/v2/shares/manage").token(token).version("2.91").body(body.toString()).send();
    }

    private ApiClient.Response manage(String exportPath) {
        return manage(ADMIN, exportPath, "p1");
    }

    /** The new share's id, after checking that it was managed with its export path as given. */
    private String managed(String exportPath) {
        ApiClient.Response r = manage(exportPath);
        assertEquals(200, r.status(), r.toString());
        String id = r.json().path("share").path("id").asText();
        ApiClient.Response locations = api.call("GET", "/v2/shares/" + id + "/export_locations").token(ADMIN)
                .version("2.91").send();
        assertEquals(exportPath, locations.json().path("export_locations").get(0).path("path").asText());
        return id;
    }

    private static void assertRefused(ApiClient.Response r, String... expected) {
        assertEquals(400, r.status(), r.toString());
        assertEquals("badRequest", r.fault());
        for (String text : expected) {
            assertTrue(r.message().contains(text), "expected '" + text + "' in: " + r.message());
        }
    }

    static Stream<Arguments> malformed() {
        String whitespace = "it contains whitespace or a control character";
        return Stream.of(
                Arguments.of("--bind", "it starts with '-', which a mount command would read as an option"),
                Arguments.of("-oremount,rw:/exports", "it starts with '-'"),
                Arguments.of("-/srv/a", "it starts with '-'"),
                Arguments.of("exports/a", "it is a relative path"),
                Arguments.of("./srv", "it is a relative path"),
                Arguments.of("filer:exports/a", "the path after the host is relative"),
                Arguments.of("/srv/../etc", "it has a '..' component"),
                Arguments.of("filer:/exports/..", "it has a '..' component"),
                Arguments.of("/srv/./a", "it has a '.' component"),
                Arguments.of("filer:/exports/a b", whitespace + " (at position 17)"),
                Arguments.of(" /srv/a", whitespace + " (at position 1)"),
                Arguments.of("/srv/a ", whitespace + " (at position 7)"),
                Arguments.of("/srv/a\tb", whitespace),
                Arguments.of("/srv/a\nb", whitespace),
                Arguments.of("/srv/a\u0000b", whitespace),
                Arguments.of("/srv/a\u001bb", whitespace),
                Arguments.of("/srv/a\u00a0b", whitespace),
                Arguments.of("/srv/a\u2028b", whitespace),
                Arguments.of("", "it is empty"),
                Arguments.of("filer:", "the path after the host is empty"),
                Arguments.of("fd00::1:/export", "an IPv6 address must be written in brackets"),
                Arguments.of("[fd00::1]/export", "an IPv6 address in brackets must be followed by ':' and the path"),
                Arguments.of("[fd00::zz]:/export", "'[fd00::zz]' is not an IPv6 address"),
                Arguments.of("[::1::2]:/export", "'[::1::2]' is not an IPv6 address"),
                Arguments.of("fil$er:/export", "'fil$er' is not a host name or an IPv4 address"),
                Arguments.of(":/export", "'' is not a host name or an IPv4 address"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("malformed")
    void aMalformedExportPathIsRefusedSayingWhatFormIsExpected(String exportPath, String why) {
        ApiClient.Response r = manage(exportPath);
        assertRefused(r, "Invalid export_path", why, ExportPath.EXPECTED);
        for (char c : exportPath.toCharArray()) {
            if (Character.isISOControl(c)) {
                assertFalse(r.message().indexOf(c) >= 0, "a control character is not echoed: " + r.message());
            }
        }
    }

    @Test
    void aMissingNullOrNonTextExportPathIsRefused() {
        ApiClient.Response missing = api.call("POST", "/v2/shares/manage").token(ADMIN)
                .body("{\"share\": {\"protocol\": \"NFS\", \"size\": 1}}").send();
        assertRefused(missing, "Required parameter export_path not found.");
        ApiClient.Response nul = api.call("POST", "/v2/shares/manage").token(ADMIN)
                .body("{\"share\": {\"protocol\": \"NFS\", \"export_path\": null, \"size\": 1}}").send();
        assertRefused(nul, "it is empty", ExportPath.EXPECTED);
        ApiClient.Response number = api.call("POST", "/v2/shares/manage").token(ADMIN)
                .body("{\"share\": {\"protocol\": \"NFS\", \"export_path\": 7, \"size\": 1}}").send();
        assertRefused(number, "'export_path' must be a string.");
    }

    @Test
    void everyAcceptedFormIsManagedAsGiven() {
        for (String exportPath : List.of("Filer-1.example.com:/vol/projects", "10.0.0.7:/export", "filer_2:/a//b/",
                "[fd00::1]:/export", "[::ffff:10.0.0.8]:/export", "/srv/exports/team", "filer.root:/")) {
            managed(exportPath);
        }
    }

    @Test
    void anExportOverlappingAnotherSharesIsRefusedNamingIt() {
        String id = managed("filer.overlap:/data/projects");
        for (String other : List.of("filer.overlap:/data/projects", "FILER.Overlap://data//projects/",
                "filer.overlap:/data/projects/team", "filer.overlap:/data", "filer.overlap:/")) {
            assertRefused(manage(other), "Share already exists: export_path '",
                    "overlaps the export 'filer.overlap:/data/projects' of share " + id);
        }
        managed("filer.overlap:/data/projects2"); // a sibling that shares a prefix, not a folder
        managed("filer.elsewhere:/data/projects"); // another host
        managed("/data/projects"); // a local folder is not on that host
    }

    @Test
    void ipv6ExportsCompareByAddress() {
        String id = managed("[fd00:0:0:0::9]:/vol");
        assertRefused(manage("[FD00::9]:/vol/sub"), "Share already exists", "of share " + id);
        assertRefused(manage("[fd00::9]:/"), "Share already exists", "of share " + id);
        managed("[fd00::a]:/vol");
    }

    @Test
    void theBaseExportAndTheBackupRepositoryAreNeverManaged() {
        for (String inBase : List.of("nfs.example:/exports/ferry/0b0e1c6a", "NFS.EXAMPLE:/exports/ferry/",
                "nfs.example:/exports", "nfs.example:/")) {
            assertRefused(manage(inBase), "Share already exists: export_path '",
                    "overlaps FERRY_SHARE_BASE_EXPORT 'nfs.example:/exports/ferry', under which Ferry creates shares");
        }
        for (String inBackups : List.of("nfs.example:/backups", "nfs.example:/backups/9a1f/data")) {
            assertRefused(manage(inBackups), "Share already exists: export_path '",
                    "overlaps the backup repository (FERRY_BACKUP_EXPORT 'nfs.example:/backups')");
        }
        managed("nfs.example:/exports/ferry2");
        managed("nfs.example:/backups-old");
        managed("other.example:/backups");
        managed("/backups");

        ApiClient.Response created = api.call("POST", "/v2/shares").version("2.91")
                .body("{\"share\": {\"share_proto\": \"NFS\", \"size\": 1}}").send();
        assertEquals(200, created.status(), "subdir shares still live under the base export: " + created);
        String id = created.json().path("share").path("id").asText();
        assertEquals(BASE + "/" + id, api.call("GET", "/v2/shares/" + id + "/export_locations").version("2.91")
                .send().json().path("export_locations").get(0).path("path").asText());
    }

    @Test
    void aCallerIsToldWhichShareCollidesOnlyWhenTheyMaySeeIt() {
        ApiClient.Response theirs = manage(ADMIN, "filer.private:/p2/data", "p2");
        assertEquals(200, theirs.status(), theirs.toString());
        String theirsId = theirs.json().path("share").path("id").asText();
        ApiClient.Response hidden = manage("alice:p1", "filer.private:/p2/data/sub", null);
        assertRefused(hidden, "Share already exists: export_path 'filer.private:/p2/data/sub' overlaps another "
                + "share's export");
        assertFalse(hidden.message().contains(theirsId), hidden.message());

        ApiClient.Response mine = manage("alice:p1", "filer.private:/p1/data", null);
        assertEquals(200, mine.status(), mine.toString());
        String mineId = mine.json().path("share").path("id").asText();
        assertRefused(manage("alice:p1", "filer.private:/p1", null), "of share " + mineId);

        ApiClient.Response base = manage("alice:p1", "nfs.example:/exports/ferry/x", null);
        assertRefused(base, "Share already exists", "overlaps the export under which Ferry creates shares");
        assertFalse(base.message().contains("FERRY_SHARE_BASE_EXPORT"), base.message());
        ApiClient.Response backups = manage("alice:p1", "nfs.example:/backups/x", null);
        assertRefused(backups, "Share already exists", "overlaps the backup repository,");
        assertFalse(backups.message().contains("FERRY_BACKUP_EXPORT"), backups.message());
    }

    @Test
    void concurrentManagesOfOneExportRegisterItOnce() throws Exception {
        int callers = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<ApiClient.Response> responses = new ArrayList<>();
        try {
            List<Future<ApiClient.Response>> pending = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String export = "filer.race:/vol" + "/d".repeat(i); // each contains the next: all overlap
                Callable<ApiClient.Response> call = () -> {
                    go.await();
                    return manage(export);
                };
                pending.add(pool.submit(call));
            }
            go.countDown();
            for (Future<ApiClient.Response> response : pending) {
                responses.add(response.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, responses.stream().filter(r -> r.status() == 200).count(),
                responses.stream().map(r -> r.status() == 200 ? "200" : r.message()).toList().toString());
        for (ApiClient.Response r : responses) {
            if (r.status() != 200) {
                assertRefused(r, "Share already exists");
            }
        }
    }
}
