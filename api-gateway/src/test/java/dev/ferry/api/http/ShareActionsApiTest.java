package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.ApiConfig;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The share routes beyond show and manage, as a client sees them: {@code POST /v2/shares} (subdir backend,
 * from a backup at 2.91), {@code DELETE}, and the actions extend, shrink, unmanage, reset_status.
 */
class ShareActionsApiTest extends InProcessGateway {
    private static final String ADMIN = "admin:ops";

    @Override
    protected ApiConfig config(ApiConfig defaults) {
        return defaults.withShareBaseExport("10.0.0.9:/exports/ferry/");
    }

    @Test
    void aShareIsCreatedAsAFolderUnderTheBaseExport() {
        ApiClient.Response r = api.call("POST", "/v2/shares").version("2.91")
                .body("{\"share\": {\"share_proto\": \"NFS\", \"size\": 2, \"name\": \"scratch\"}}").send();
        assertEquals(200, r.status(), r.toString());
        JsonNode share = r.json().path("share");
        assertEquals("creating", share.path("status").asText());
        assertEquals(2, share.path("size").asInt());
        String id = share.path("id").asText();
        JsonNode location = api.call("GET", "/v2/shares/" + id + "/export_locations").version("2.91").send().json()
                .path("export_locations").get(0);
        assertEquals("10.0.0.9:/exports/ferry/" + id, location.path("path").asText());
    }

    @Test
    void badCreateBodiesAre400AndAddNoShare() {
        int before = api.call("GET", "/v2/shares").version("2.91").send().json().path("shares").size();
        for (String body : List.of(
                "{\"share\": {\"share_proto\": \"NFS\", \"size\": 1, \"name\": \"" + "n".repeat(256) + "\"}}",
                "{\"share\": {\"share_proto\": \"NFS\", \"size\": 0}}",
                "{\"share\": {\"share_proto\": \"NFS\"}}",
                "{\"share\": {\"share_proto\": \"CIFS\", \"size\": 1}}",
                "{\"share\": {\"size\": 1}}",
                "{\"share\": {\"share_proto\": \"NFS\", \"size\": 1, \"snapshot_id\": \"s\"}}")) {
            ApiClient.Response r = api.call("POST", "/v2/shares").version("2.91").body(body).send();
            assertEquals(400, r.status(), body + " -> " + r);
            assertEquals("badRequest", r.fault());
        }
        assertEquals(before, api.call("GET", "/v2/shares").version("2.91").send().json().path("shares").size());
    }

    @Test
    void aShareFromABackupNeedsTwoNinetyOneAndIsCreating() {
        Share source = f.share("p1", 3, ShareStatus.AVAILABLE);
        Backup backup = f.backup(source, 3, BackupStatus.AVAILABLE);
        String body = "{\"share\": {\"share_proto\": \"NFS\", \"backup_id\": \"" + backup.id() + "\"}}";
        ApiClient.Response old = api.call("POST", "/v2/shares").version("2.90").token("alice:p1").body(body).send();
        assertEquals(400, old.status());
        assertTrue(old.message().contains("2.91"), old.message());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());

        ApiClient.Response r = api.call("POST", "/v2/shares").version("2.91").token("alice:p1").body(body).send();
        assertEquals(200, r.status(), r.toString());
        JsonNode share = r.json().path("share");
        assertEquals("creating", share.path("status").asText());
        assertEquals(3, share.path("size").asInt());
        assertEquals(backup.id(), share.path("source_backup_id").asText());
        assertEquals(BackupStatus.RESTORING, f.backup(backup.id()).status());

        ApiClient.Response smaller = api.call("POST", "/v2/shares").version("2.91").token("alice:p1")
                .body("{\"share\": {\"share_proto\": \"NFS\", \"size\": 1, \"backup_id\": \"" + backup.id() + "\"}}")
                .send();
        assertEquals(400, smaller.status());
        assertEquals("badRequest", smaller.fault());
    }

    @Test
    void deleteAnswers202AndRefusesAShareWithBackups() {
        Share share = f.share("p1", 1, ShareStatus.AVAILABLE);
        Share kept = f.share("p1", 1, ShareStatus.AVAILABLE);
        f.backup(kept, 1, BackupStatus.AVAILABLE);
        assertEquals(202, api.call("DELETE", "/v2/shares/" + share.id()).token("alice:p1").send().status());
        assertEquals(404, api.call("GET", "/v2/shares/" + share.id()).token("alice:p1").send().status());
        ApiClient.Response refused = api.call("DELETE", "/v2/shares/" + kept.id()).token("alice:p1").send();
        assertEquals(400, refused.status());
        assertEquals("Invalid share: Share still has 1 dependent backups. Delete them first.", refused.message());
        assertEquals(404, api.call("DELETE", "/v2/shares/" + kept.id()).token("bob:p2").send().status());
    }

    @Test
    void extendShrinkAndResetAreActions() {
        Share share = f.share("alice-project", 4, ShareStatus.AVAILABLE);
        String alice = "alice:alice-project";
        assertEquals(202, api.call("POST", "/v2/shares/" + share.id() + "/action").token(alice)
                .body("{\"extend\": {\"new_size\": 6}}").send().status());
        assertEquals(6, f.share(share.id()).size());
        assertEquals(202, api.call("POST", "/v2/shares/" + share.id() + "/action").token(alice)
                .body("{\"shrink\": {\"new_size\": \"5\"}}").send().status());
        assertEquals(5, f.share(share.id()).size());
        ApiClient.Response bad = api.call("POST", "/v2/shares/" + share.id() + "/action").token(alice)
                .body("{\"extend\": {\"new_size\": \"big\"}}").send();
        assertEquals(400, bad.status());
        assertEquals(400, api.call("POST", "/v2/shares/" + share.id() + "/action").token(alice)
                .body("{\"extend\": {}}").send().status());
        ApiClient.Response two = api.call("POST", "/v2/shares/" + share.id() + "/action").token(alice)
                .body("{\"extend\": {\"new_size\": 7}, \"shrink\": {\"new_size\": 1}}").send();
        assertEquals(400, two.status());
        assertEquals("Malformed request body", two.message());
        ApiClient.Response unknown = api.call("POST", "/v2/shares/" + share.id() + "/action").token(alice)
                .body("{\"migrate\": {}}").send();
        assertEquals(400, unknown.status());
        assertEquals("There is no such action: migrate", unknown.message());
        assertEquals(5, f.share(share.id()).size(), "refused actions change nothing");

        assertEquals(403, api.call("POST", "/v2/shares/" + share.id() + "/action").token(alice)
                .body("{\"reset_status\": {\"status\": \"error\"}}").send().status());
        assertEquals(202, api.call("POST", "/v2/shares/" + share.id() + "/action").token(ADMIN)
                .body("{\"reset_status\": {\"status\": \"error\"}}").send().status());
        assertEquals(ShareStatus.ERROR, f.share(share.id()).status());
        ApiClient.Response busy = api.call("POST", "/v2/shares/" + share.id() + "/action").token(alice)
                .body("{\"extend\": {\"new_size\": 9}}").send();
        assertEquals(400, busy.status());
        assertTrue(busy.message().contains("current status is: error"), busy.message());
    }

    @Test
    void unmanageIsForAdminsAndTakesNoArguments() {
        Share share = f.share("p1", 1, ShareStatus.AVAILABLE);
        assertEquals(403, api.call("POST", "/v2/shares/" + share.id() + "/action").token("alice:p1")
                .body("{\"unmanage\": null}").send().status());
        ApiClient.Response withArguments = api.call("POST", "/v2/shares/" + share.id() + "/action").token(ADMIN)
                .body("{\"unmanage\": {\"force\": true}}").send();
        assertEquals(400, withArguments.status());
        assertEquals(200, api.call("GET", "/v2/shares/" + share.id()).token(ADMIN).send().status());
        assertEquals(202, api.call("POST", "/v2/shares/" + share.id() + "/action").token(ADMIN)
                .body("{\"unmanage\": null}").send().status());
        assertEquals(404, api.call("GET", "/v2/shares/" + share.id()).token(ADMIN).send().status());
    }
}
