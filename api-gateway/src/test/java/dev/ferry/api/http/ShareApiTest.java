package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import org.junit.jupiter.api.Test;

class ShareApiTest extends InProcessGateway {
    private static final String ADMIN = "admin:ops";

    private String manageBody(String extra) {
        return "{\"share\": {\"protocol\": \"nfs\", \"export_path\": \"10.0.0.5:/exports/projects\", "
                + "\"service_host\": \"ignored@backend#pool\", \"name\": \"projects\", \"description\": \"team data\""
                + extra + "}}";
    }

    @Test
    void anAdminManagesAShareThatIsThenShownWithItsExportLocation() {
        ApiClient.Response managed = api.call("POST", "/v2/shares/manage").token(ADMIN).version("2.91")
                .body(manageBody(", \"size\": 20, \"project_id\": \"p1\", \"is_public\": false")).send();
        assertEquals(200, managed.status(), managed.toString());
        JsonNode share = managed.json().path("share");
        String id = share.path("id").asText();
        assertEquals("available", share.path("status").asText());
        assertEquals("NFS", share.path("share_proto").asText());
        assertEquals(20, share.path("size").asInt());
        assertEquals("p1", share.path("project_id").asText());

        JsonNode shown = api.call("GET", "/v2/shares/" + id).version("2.91").send().json().path("share");
        assertEquals("projects", shown.path("name").asText());
        assertEquals("team data", shown.path("description").asText());
        assertTrue(shown.has("source_backup_id"));
        assertTrue(shown.path("source_backup_id").isNull());
        assertTrue(shown.path("metadata").isObject());
        assertFalse(shown.has("export_location"), "from 2.9 export locations have their own endpoint");

        ApiClient.Response locations = api.call("GET", "/v2/shares/" + id + "/export_locations").version("2.9").send();
        assertEquals(200, locations.status(), locations.toString());
        JsonNode location = locations.json().path("export_locations").get(0);
        assertEquals("10.0.0.5:/exports/projects", location.path("path").asText());
        assertTrue(location.path("preferred").asBoolean());
        assertEquals(200, api.call("GET", "/v2/shares/" + id + "/export_locations/" + location.path("id").asText())
                .version("2.9").send().status());
        JsonNode adminView = api.call("GET", "/v2/shares/" + id + "/export_locations").version("2.9").token(ADMIN)
                .send().json().path("export_locations").get(0);
        assertFalse(adminView.path("is_admin_only").asBoolean());
        assertTrue(adminView.has("share_instance_id"));
    }

    @Test
    void belowTwoNineTheShareCarriesItsExportLocationsAndTheEndpointIs404() {
        Share share = f.share("p1", 5, ShareStatus.AVAILABLE);
        JsonNode old = api.call("GET", "/v2/shares/" + share.id()).send().json().path("share");
        assertEquals(share.exportPath(), old.path("export_location").asText());
        assertEquals(share.exportPath(), old.path("export_locations").get(0).asText());
        assertFalse(old.has("source_backup_id"), "source_backup_id appears from 2.80");
        assertFalse(api.call("GET", "/v2/shares/" + share.id()).version("2.79").send().json().path("share")
                .has("source_backup_id"));
        ApiClient.Response r = api.call("GET", "/v2/shares/" + share.id() + "/export_locations").version("2.8").send();
        assertEquals(404, r.status());
        assertEquals("The resource could not be found.", r.message());
    }

    @Test
    void onlyAnAdminMayManage() {
        ApiClient.Response r = api.call("POST", "/v2/shares/manage").version("2.91").body(manageBody(", \"size\": 1"))
                .send();
        assertEquals(403, r.status());
        assertEquals("forbidden", r.fault());
    }

    @Test
    void manageSaysWhichFieldIsWrong() {
        ApiClient.Response noSize = api.call("POST", "/v2/shares/manage").token(ADMIN).body(manageBody("")).send();
        assertEquals(400, noSize.status());
        assertTrue(noSize.message().contains("'size'"), noSize.message());
        ApiClient.Response badSize = api.call("POST", "/v2/shares/manage").token(ADMIN)
                .body(manageBody(", \"size\": -3")).send();
        assertEquals(400, badSize.status());
        assertTrue(badSize.message().contains("size"), badSize.message());
        ApiClient.Response noPath = api.call("POST", "/v2/shares/manage").token(ADMIN)
                .body("{\"share\": {\"protocol\": \"NFS\", \"size\": 1}}").send();
        assertEquals(400, noPath.status());
        assertTrue(noPath.message().contains("export_path"), noPath.message());
        ApiClient.Response badProto = api.call("POST", "/v2/shares/manage").token(ADMIN)
                .body("{\"share\": {\"protocol\": \"floppy\", \"export_path\": \"/x\", \"size\": 1}}").send();
        assertEquals(400, badProto.status());
        assertTrue(badProto.message().contains("floppy"), badProto.message());
        ApiClient.Response badPublic = api.call("POST", "/v2/shares/manage").token(ADMIN)
                .body(manageBody(", \"size\": 1, \"is_public\": \"perhaps\"")).send();
        assertEquals(400, badPublic.status());
        assertTrue(badPublic.message().contains("is_public"), badPublic.message());
        ApiClient.Response noShare = api.call("POST", "/v2/shares/manage").token(ADMIN).body("{}").send();
        assertEquals(422, noShare.status());
        assertEquals("computeFault", noShare.fault());
    }

    @Test
    void anotherProjectsPrivateShareIsNotFoundButItsPublicOneIsVisible() {
        Share hidden = f.share("p2", 5, ShareStatus.AVAILABLE);
        Share open = f.share("p2", 5, ShareStatus.AVAILABLE, "NFS", true);
        ApiClient.Response r = api.call("GET", "/v2/shares/" + hidden.id()).send();
        assertEquals(404, r.status());
        assertEquals("Share " + hidden.id() + " could not be found.", r.message());
        assertEquals(200, api.call("GET", "/v2/shares/" + open.id()).send().status());
        assertEquals(200, api.call("GET", "/v2/shares/" + hidden.id()).token("admin:ops").send().status());
    }

    @Test
    void listsShowTheProjectsSharesAndPublicOnesOnRequest() {
        Share mine = f.share("p3", 5, ShareStatus.AVAILABLE);
        Share theirsPublic = f.share("p4", 5, ShareStatus.AVAILABLE, "NFS", true);
        JsonNode own = api.call("GET", "/v2/shares").token("carol:p3").send().json().path("shares");
        assertEquals(1, own.size());
        assertEquals(mine.id(), own.get(0).path("id").asText());
        assertTrue(own.get(0).has("links"));
        JsonNode withPublic = api.call("GET", "/v2/shares/detail?all_tenants=1&is_public=True").token("carol:p3")
                .send().json().path("shares");
        assertTrue(contains(withPublic, mine.id()) && contains(withPublic, theirsPublic.id()), withPublic.toString());
        JsonNode softDeleted = api.call("GET", "/v2/shares/detail?all_tenants=1&is_public=True&is_soft_deleted=True")
                .token("carol:p3").send().json().path("shares");
        assertEquals(0, softDeleted.size(), "Ferry never soft-deletes; the client lists those separately");
        JsonNode all = api.call("GET", "/v2/shares/detail?all_tenants=1").token("admin:ops").send().json()
                .path("shares");
        assertTrue(contains(all, mine.id()) && contains(all, theirsPublic.id()));
    }

    private static boolean contains(JsonNode shares, String id) {
        for (JsonNode share : shares) {
            if (share.path("id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }
}
