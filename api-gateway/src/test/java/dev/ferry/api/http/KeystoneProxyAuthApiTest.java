package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import dev.ferry.api.http.ApiClient.Response;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FERRY_AUTH=keystone-proxy over HTTP: identity headers from a trusted proxy (this test's client on 127.0.0.1,
 * trusted by default), and Manila's default reader / member / admin policy applied to the roles they carry.
 */
class KeystoneProxyAuthApiTest extends InProcessGateway {

    @Override
    protected ApiConfig config(ApiConfig noauth) {
        return noauth.withAuth(ApiConfig.KEYSTONE_PROXY, null, null, null);
    }

    /** A backup-API call as the proxy would forward it for {@code user} of {@code project}. */
    private ApiClient.Call as(String method, String path, String user, String project, String roles) {
        return api.backups(method, path).token(null).header("X-Identity-Status", "Confirmed")
                .header("X-User-Id", user).header("X-Project-Id", project).header("X-Roles", roles);
    }

    private static List<String> ids(Response r) {
        List<String> ids = new ArrayList<>();
        r.json().path("share_backups").forEach(b -> ids.add(b.path("id").asText()));
        return ids;
    }

    private static void assert401(Response r, String messagePart) {
        assertEquals(401, r.status(), r.toString());
        assertEquals(401, r.json().path(r.fault()).path("code").asInt(), r.toString());
        assertTrue(r.message().contains(messagePart), r.message());
    }

    @Test
    void anUntrustedPeerIsRefusedEvenWithConfirmedHeaders() throws Exception {
        ApiConfig onlyAProxyElsewhere = config(new ApiConfig("127.0.0.1", 0,
                "jdbc:h2:mem:untrusted-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", null, "noauth",
                "test-host")).withAuth(ApiConfig.KEYSTONE_PROXY, TrustedProxies.parse("192.0.2.10,10.0.0.0/8"), null, null);
        try (ApiGateway untrusted = ApiGateway.start(onlyAProxyElsewhere)) {
            ApiClient direct = new ApiClient(untrusted.port());
            Response r = direct.backups("GET", "/v2/share-backups").token(null)
                    .header("X-Identity-Status", "Confirmed").header("X-User-Id", "alice")
                    .header("X-Project-Id", "p1").header("X-Roles", "admin").send();
            assert401(r, "This request came from 127.0.0.1, which is not a trusted proxy");
            assertTrue(r.message().contains("FERRY_TRUSTED_PROXIES"), r.message());
        }
    }

    @Test
    void withoutConfirmedIdentityStatusEveryRequestIs401() {
        Response missing = api.backups("GET", "/v2/share-backups").token(null).header("X-User-Id", "alice")
                .header("X-Project-Id", "p1").header("X-Roles", "member,reader").send();
        assert401(missing, "X-Identity-Status is missing");

        Response invalid = as("GET", "/v2/share-backups", "alice", "p1", "member,reader")
                .header("X-Identity-Status", "Invalid").send();
        assert401(invalid, "X-Identity-Status is not Confirmed");

        Response noauthToken = api.backups("GET", "/v2/share-backups").send();
        assert401(noauthToken, "did not confirm an identity");
    }

    @Test
    void aConfirmedIdentityWithoutAProjectIs401() {
        Response r = api.backups("GET", "/v2/share-backups").token(null).header("X-Identity-Status", "Confirmed")
                .header("X-User-Id", "alice").header("X-Roles", "member,reader").send();
        assert401(r, "no X-Project-Id header");
    }

    @Test
    void confirmedHeadersActAsThatUserInThatProject() {
        Backup mine = f.backup(f.share("kp1", 1, ShareStatus.AVAILABLE), 1, BackupStatus.AVAILABLE);
        Backup theirs = f.backup(f.share("kp2", 1, ShareStatus.AVAILABLE), 1, BackupStatus.AVAILABLE);

        Response list = as("GET", "/v2/share-backups", "alice", "kp1", "member,reader").send();
        assertEquals(200, list.status(), list.toString());
        assertEquals(List.of(mine.id()), ids(list));

        Response foreign = as("GET", "/v2/share-backups/" + theirs.id(), "alice", "kp1", "member,reader").send();
        assertEquals(404, foreign.status(), foreign.toString());

        Share share = f.share("kp1", 1, ShareStatus.AVAILABLE);
        Response created = as("POST", "/v2/share-backups", "alice", "kp1", "member, reader")
                .body("{\"share_backup\": {\"share_id\": \"" + share.id() + "\", \"name\": \"k\"}}").send();
        assertEquals(202, created.status(), created.toString());
        String id = created.json().path("share_backup").path("id").asText();
        assertEquals("alice", f.backup(id).userId());
        assertEquals("kp1", f.backup(id).projectId());
    }

    @Test
    void theAdminRoleSeesAllTenantsAndOtherRolesDoNot() {
        Backup a = f.backup(f.share("ka1", 1, ShareStatus.AVAILABLE), 1, BackupStatus.AVAILABLE);
        Backup b = f.backup(f.share("ka2", 1, ShareStatus.AVAILABLE), 1, BackupStatus.AVAILABLE);

        Response admin = as("GET", "/v2/share-backups?all_tenants=1", "ops", "ka-admin", "admin").send();
        assertEquals(200, admin.status(), admin.toString());
        assertTrue(ids(admin).containsAll(List.of(a.id(), b.id())), admin.toString());

        Response member = as("GET", "/v2/share-backups?all_tenants=1", "alice", "ka1", "member,reader").send();
        assertEquals(200, member.status(), member.toString());
        assertEquals(List.of(a.id()), ids(member));

        Response adminShow = as("GET", "/v2/share-backups/" + b.id(), "ops", "ka-admin", "admin").send();
        assertEquals(200, adminShow.status(), adminShow.toString());
    }

    @Test
    void aReaderMayListAndShowButNotCreateRestoreOrDelete() {
        Share share = f.share("kr1", 1, ShareStatus.AVAILABLE);
        Share target = f.share("kr1", 1, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 1, BackupStatus.AVAILABLE);

        Response list = as("GET", "/v2/share-backups/detail", "rita", "kr1", "reader").send();
        assertEquals(200, list.status(), list.toString());
        assertEquals(List.of(backup.id()), ids(list));
        Response show = as("GET", "/v2/share-backups/" + backup.id(), "rita", "kr1", "reader").send();
        assertEquals(200, show.status(), show.toString());

        List<Response> refused = List.of(
                as("POST", "/v2/share-backups", "rita", "kr1", "reader")
                        .body("{\"share_backup\": {\"share_id\": \"" + share.id() + "\"}}").send(),
                as("POST", "/v2/share-backups/" + backup.id() + "/action", "rita", "kr1", "reader")
                        .body("{\"restore\": \"" + target.id() + "\"}").send(),
                as("DELETE", "/v2/share-backups/" + backup.id(), "rita", "kr1", "reader").send());
        for (Response r : refused) {
            assertEquals(403, r.status(), r.toString());
            JsonNode fault = r.json().path(r.fault());
            assertEquals(403, fault.path("code").asInt(), r.toString());
            assertEquals("Access was denied to this resource.", fault.path("message").asText());
        }
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        assertEquals(ShareStatus.AVAILABLE, f.share(target.id()).status());
        Response after = as("GET", "/v2/share-backups", "rita", "kr1", "reader").send();
        assertEquals(List.of(backup.id()), ids(after), "the refused create made no backup");
    }
}
