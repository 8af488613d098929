package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.ApiConfig;
import dev.ferry.api.service.ExportPath;
import dev.ferry.messages.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code manage} in local mode (as {@code ferry dev} runs: FERRY_SHARE_MOUNT_TEMPLATE empty, so an export path is a
 * folder on this host): the folder must exist, and a symbolic link does not hide that it is, lies inside or
 * contains the backup repository, the base export or another share's folder.
 */
class ManageLocalExportApiTest extends InProcessGateway {
    private static final String ADMIN = "admin:ops";
    @TempDir
    static Path root;

    @Override
    protected ApiConfig config(ApiConfig noauth) throws Exception {
        Path shares = Files.createDirectories(root.resolve("shares"));
        Path backups = Files.createDirectories(root.resolve("backups"));
        Files.createDirectories(root.resolve("exports"));
        return noauth.withExports(shares.toString(), backups.toString(), true);
    }

    private ApiClient.Response manage(String exportPath) {
        ObjectNode share = Json.object();
        share.put("protocol", "NFS");
        share.put("export_path", exportPath);
        share.put("size", 1);
        share.put("project_id", "demo");
        ObjectNode body = Json.object();
        body.set("share", share);
        return api.call("POST", "/v2/shares/manage").token(ADMIN).version("2.91").body(body.toString()).send();
    }

    private static void assertRefused(ApiClient.Response r, String... expected) {
        assertEquals(400, r.status(), r.toString());
        assertEquals("badRequest", r.fault());
        for (String text : expected) {
            assertTrue(r.message().contains(text), "expected '" + text + "' in: " + r.message());
        }
    }

    private Path folder(String name) throws Exception {
        return Files.createDirectories(root.resolve("exports").resolve(name));
    }

    @Test
    void anExistingFolderIsManaged() throws Exception {
        Path a = folder("a");
        ApiClient.Response r = manage(a.toString());
        assertEquals(200, r.status(), r.toString());
        String id = r.json().path("share").path("id").asText();
        assertEquals(a.toString(), api.call("GET", "/v2/shares/" + id + "/export_locations").token(ADMIN)
                .version("2.91").send().json().path("export_locations").get(0).path("path").asText());
    }

    @Test
    void aPathThatIsNotAnExistingFolderIsRefused() throws Exception {
        Path missing = root.resolve("exports").resolve("missing");
        assertRefused(manage(missing.toString()), "Invalid export_path '" + missing + "': it is not an existing "
                + "folder on this host", "Create the folder first");
        Path file = Files.writeString(root.resolve("exports").resolve("a-file"), "not a folder");
        assertRefused(manage(file.toString()), "it is not an existing folder on this host");
    }

    @Test
    void aHostExportIsRefusedInLocalMode() {
        assertRefused(manage("filer:/exports/a"), "this Ferry runs in local mode", "not host:/path",
                "Give an absolute local path");
    }

    @Test
    void malformedPathsAreRefusedAsEverywhere() {
        assertRefused(manage("--bind"), "it starts with '-'", ExportPath.EXPECTED);
        assertRefused(manage("var/exports/a"), "it is a relative path", ExportPath.EXPECTED);
        assertRefused(manage(root.resolve("exports") + "/../backups"), "it has a '..' component");
    }

    @Test
    void theBackupRepositoryAndTheBaseExportAreRefusedAlsoThroughALink() throws Exception {
        Path backups = root.resolve("backups");
        Path shares = root.resolve("shares");
        assertRefused(manage(backups.toString()), "Share already exists", "the backup repository");
        assertRefused(manage(root.toString()), "Share already exists", "FERRY_SHARE_BASE_EXPORT");
        assertRefused(manage(Files.createDirectories(shares.resolve("some-share")).toString()),
                "Share already exists", "FERRY_SHARE_BASE_EXPORT '" + shares + "'");
        Path toBackups = Files.createSymbolicLink(folder("links").resolve("to-backups"), backups);
        assertRefused(manage(toBackups.toString()), "Share already exists",
                "the backup repository (FERRY_BACKUP_EXPORT '" + backups + "')");
        Path intoBackups = Files.createSymbolicLink(root.resolve("exports").resolve("links").resolve("into-backups"),
                Files.createDirectories(backups.resolve("0b0e1c6a")));
        assertRefused(manage(intoBackups.toString()), "Share already exists", "the backup repository");
    }

    @Test
    void anotherSharesFolderIsRefusedAlsoThroughALink() throws Exception {
        Path b = folder("b");
        ApiClient.Response first = manage(b.toString());
        assertEquals(200, first.status(), first.toString());
        String id = first.json().path("share").path("id").asText();
        assertRefused(manage(Files.createDirectories(b.resolve("inner")).toString()), "of share " + id);
        Path link = Files.createSymbolicLink(root.resolve("exports").resolve("b-again"), b);
        assertRefused(manage(link.toString()), "Share already exists", "overlaps the export '" + b + "' of share "
                + id);
        ApiClient.Response sibling = manage(folder("b2").toString());
        assertEquals(200, sibling.status(), sibling.toString());
    }
}
