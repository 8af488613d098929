package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.ApiConfig;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant boundaries a hostile member runs into: another project's public share may be seen but not backed up
 * (403, as restores into it already are), and only an admin may make a share public
 * ({@code share:create_public_share}, Manila's default since Train), on create and on manage. Each refusal
 * leaves nothing behind, and the honest requests next to it still work. {@code share:manage} is opened to
 * members here, so that the public-share rule is what a member's manage meets.
 */
class TenantBoundaryApiTest extends InProcessGateway {
    private static final String MALLORY = "mallory:evil";
    private static final String VICTIM = "victim:p-victim";
    private static final String ADMIN = "admin:ops";
    private static final String PUBLIC_REFUSED = "User is not authorized to set 'is_public' to True in the request. "
            + "Policy share:create_public_share does not allow it: leave 'is_public' out or false, or ask an "
            + "administrator for a public share.";
    private Path policyFile;

    @Override
    protected ApiConfig config(ApiConfig noauth) throws Exception {
        policyFile = Files.createTempFile("ferry-policy-", ".json");
        Files.writeString(policyFile, "{\"share:manage\": \"role:admin or role:member\"}");
        return noauth.withShareBaseExport("10.0.0.9:/exports/ferry").withAuth(ApiConfig.NOAUTH, null, null, policyFile);
    }

    @AfterAll
    void deletePolicyFile() throws Exception {
        Files.deleteIfExists(policyFile);
    }

    private ApiClient.Response backUp(String token, Share share) {
        return api.backups("POST", "/v2/share-backups").token(token)
                .body("{\"share_backup\": {\"share_id\": \"" + share.id() + "\", \"name\": \"nightly\"}}").send();
    }

    private int backupsOf(Share share) {
        return f.repos().database().read(c -> f.repos().backups().countOfShare(c, share.id()));
    }

    private ApiClient.Response createShare(String token, String isPublic) {
        return api.call("POST", "/v2/shares").version("2.91").token(token).body("{\"share\": {\"share_proto\": "
                + "\"NFS\", \"size\": 1, \"name\": \"s\"" + (isPublic == null ? "" : ", \"is_public\": " + isPublic)
                + "}}").send();
    }

    private ApiClient.Response manage(String token, String path, String project, boolean isPublic) {
        return api.call("POST", "/v2/shares/manage").version("2.91").token(token).body("{\"share\": {\"protocol\": "
                + "\"NFS\", \"export_path\": \"" + path + "\", \"size\": 2, \"project_id\": \"" + project
                + "\", \"is_public\": " + isPublic + "}}").send();
    }

    private int sharesOf(String token) {
        return api.call("GET", "/v2/shares").token(token).send().json().path("shares").size();
    }

    @Test
    void anotherProjectsPublicShareIsVisibleButBackingItUpIs403() {
        Share victims = f.share("p-victim", 5, ShareStatus.AVAILABLE, "NFS", true);
        assertEquals(200, api.call("GET", "/v2/shares/" + victims.id()).token(MALLORY).send().status(),
                "a public share is visible to every project");

        ApiClient.Response refused = backUp(MALLORY, victims);

        assertEquals(403, refused.status(), refused.toString());
        assertEquals("forbidden", refused.fault());
        assertEquals("Share " + victims.id() + " belongs to another project: only its owning project or an admin "
                + "may back it up. Back up a share of your own project.", refused.message());
        assertEquals(0, backupsOf(victims), "no backup was made");
        assertEquals(ShareStatus.AVAILABLE, f.share(victims.id()).status(), "the share was not touched");
        assertEquals(0, api.backups("GET", "/v2/share-backups").token(MALLORY).send().json().path("share_backups")
                .size());

        ApiClient.Response owner = backUp(VICTIM, victims);
        assertEquals(202, owner.status(), owner.toString());
        String backupId = owner.json().path("share_backup").path("id").asText();
        assertEquals(BackupStatus.CREATING, f.backup(backupId).status());
        assertEquals("p-victim", f.backup(backupId).projectId());
    }

    @Test
    void anotherProjectsPrivateShareStaysUnknownToABackup() {
        Share hidden = f.share("p-victim", 5, ShareStatus.AVAILABLE);
        ApiClient.Response refused = backUp(MALLORY, hidden);
        assertEquals(400, refused.status(), refused.toString());
        assertEquals("No share exists with ID " + hidden.id() + ".", refused.message());
        assertEquals(0, backupsOf(hidden));
    }

    @Test
    void anAdminBacksUpAnyProjectsShare() {
        Share victims = f.share("p-victim", 5, ShareStatus.AVAILABLE, "NFS", true);
        Share privateOne = f.share("p-victim", 5, ShareStatus.AVAILABLE);
        assertEquals(202, backUp(ADMIN, victims).status());
        assertEquals(202, backUp(ADMIN, privateOne).status());
        assertEquals(1, backupsOf(victims));
        assertEquals(1, backupsOf(privateOne));
    }

    @Test
    void aMemberCreatingAPublicShareIs403AndAPrivateOneWorks() {
        String member = "alice:p-create";
        ApiClient.Response refused = createShare(member, "true");
        assertEquals(403, refused.status(), refused.toString());
        assertEquals("forbidden", refused.fault());
        assertEquals(PUBLIC_REFUSED, refused.message());
        assertEquals(0, sharesOf(member), "no share was created");

        ApiClient.Response refusedAsText = createShare(member, "\"True\"");
        assertEquals(403, refusedAsText.status(), refusedAsText.toString());
        assertEquals(0, sharesOf(member));

        ApiClient.Response privateShare = createShare(member, "false");
        assertEquals(200, privateShare.status(), privateShare.toString());
        assertFalse(privateShare.json().path("share").path("is_public").asBoolean());
        ApiClient.Response unsaid = createShare(member, null);
        assertEquals(200, unsaid.status(), unsaid.toString());
        assertFalse(unsaid.json().path("share").path("is_public").asBoolean());
        assertEquals(2, sharesOf(member));
    }

    @Test
    void anAdminMayCreateAPublicShare() {
        ApiClient.Response created = createShare(ADMIN, "true");
        assertEquals(200, created.status(), created.toString());
        JsonNode share = created.json().path("share");
        assertTrue(share.path("is_public").asBoolean());
        assertEquals(200, api.call("GET", "/v2/shares/" + share.path("id").asText()).token(MALLORY).send().status(),
                "the public share is visible to other projects");
    }

    @Test
    void managingAPublicShareNeedsThePublicSharePolicyToo() {
        String member = "alice:p-manage";
        ApiClient.Response refused = manage(member, "10.0.0.5:/exports/manage-public", "p-manage", true);
        assertEquals(403, refused.status(), refused.toString());
        assertEquals(PUBLIC_REFUSED, refused.message());
        assertEquals(0, sharesOf(member), "nothing was registered");

        ApiClient.Response privateOne = manage(member, "10.0.0.5:/exports/manage-private", "p-manage", false);
        assertEquals(200, privateOne.status(), privateOne.toString());
        assertEquals(1, sharesOf(member));

        ApiClient.Response admin = manage(ADMIN, "10.0.0.5:/exports/manage-public", "p-manage", true);
        assertEquals(200, admin.status(), admin.toString());
        assertTrue(admin.json().path("share").path("is_public").asBoolean());
        assertEquals(2, sharesOf(member));
    }
}
