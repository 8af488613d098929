package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.http.ApiClient.Response;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** FERRY_POLICY_FILE over HTTP: a rule made admin-only refuses members; the other rules keep Manila's defaults. */
class PolicyFileApiTest extends InProcessGateway {
    private Path file;

    @Override
    protected ApiConfig config(ApiConfig noauth) throws Exception {
        file = Files.createTempFile("ferry-policy-", ".json");
        Files.writeString(file, "{\"share_backup:create\": \"role:admin\"}");
        return noauth.withAuth(ApiConfig.NOAUTH, null, null, file);
    }

    @AfterAll
    void deleteFile() throws Exception {
        Files.deleteIfExists(file);
    }

    private Response create(String token, Share share) {
        return api.backups("POST", "/v2/share-backups").token(token)
                .body("{\"share_backup\": {\"share_id\": \"" + share.id() + "\"}}").send();
    }

    @Test
    void anAdminOnlyCreateRefusesAMemberAndAcceptsAnAdmin() {
        Share share = f.share("p1", 1, ShareStatus.AVAILABLE);

        Response member = create("alice:p1", share);
        assertEquals(403, member.status(), member.toString());
        assertEquals("Access was denied to this resource.", member.message());

        Response admin = create("admin:ops", share);
        assertEquals(202, admin.status(), admin.toString());
    }

    @Test
    void rulesTheFileDoesNotNameKeepTheirDefaults() {
        Response list = api.backups("GET", "/v2/share-backups").token("alice:p1").send();
        assertEquals(200, list.status(), list.toString());
    }
}
