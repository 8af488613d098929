package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.ApiConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Share types as Manila's API serves them: admin-only writes, extra specs, public and private types and their
 * access lists, the views at each microversion, and shares created with a type (by name or id).
 */
class ShareTypeApiTest extends InProcessGateway {
    private static final String ADMIN = "admin:ops";

    @Override
    protected ApiConfig config(ApiConfig defaults) {
        return defaults.withShareBaseExport("10.0.0.9:/exports/ferry");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new type as the admin creates it at 2.91; its view. */
    private JsonNode createType(String name, String extra) {
        ApiClient.Response r = api.call("POST", "/v2/types").token(ADMIN).version("2.91")
                .body("{\"share_type\": {\"name\": \"" + name + "\", \"extra_specs\": "
                        + "{\"driver_handles_share_servers\": false}" + extra + "}}").send();
        assertEquals(200, r.status(), r.toString());
        return r.json().path("share_type");
    }

    private ApiClient.Response createShare(String token, String version, String shareType) {
        String type = shareType == null ? "" : ", \"share_type\": \"" + shareType + "\"";
        return api.call("POST", "/v2/shares").token(token).version(version)
                .body("{\"share\": {\"share_proto\": \"NFS\", \"size\": 1" + type + "}}").send();
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    @Test
    void anAdminCreatesATypeThatUsersListAndShowWithTheStandardSpecsOnly() {
        String name = unique("gold");
        ApiClient.Response created = api.call("POST", "/v2/types").token(ADMIN).version("2.91")
                .body("{\"share_type\": {\"name\": \"" + name + "\", \"description\": \"fast disks\", \"extra_specs\": "
                        + "{\"driver_handles_share_servers\": \"False\", \"snapshot_support\": true, "
                        + "\"ferry:tier\": \"gold\"}}}").send();
        assertEquals(200, created.status(), created.toString());
        JsonNode type = created.json().path("share_type");
        assertEquals(type, created.json().path("volume_type"));
        String id = type.path("id").asText();
        assertEquals(name, type.path("name").asText());
        assertEquals("False", type.path("extra_specs").path("driver_handles_share_servers").asText());
        assertEquals("True", type.path("extra_specs").path("snapshot_support").asText(), "stored as Manila stores it");
        assertEquals("gold", type.path("extra_specs").path("ferry:tier").asText(), "admins see every spec");
        assertEquals("False", type.path("required_extra_specs").path("driver_handles_share_servers").asText());
        assertEquals(1, type.path("required_extra_specs").size());
        assertTrue(type.path("share_type_access:is_public").asBoolean());
        assertEquals("fast disks", type.path("description").asText());
        assertFalse(type.path("is_default").asBoolean());

        JsonNode seen = api.call("GET", "/v2/types/" + id).version("2.91").send().json().path("share_type");
        assertFalse(seen.path("extra_specs").has("ferry:tier"), "users see only Manila's standard specs: " + seen);
        assertEquals("True", seen.path("extra_specs").path("snapshot_support").asText());
        assertTrue(seen.path("extra_specs").path("create_share_from_snapshot_support").isBoolean(),
                "from 2.24 users see the inferred false of unset standard specs: " + seen);
        assertFalse(seen.path("extra_specs").path("revert_to_snapshot_support").asBoolean(true));
        assertTrue(names(api.call("GET", "/v2/types").version("2.91").send().json().path("share_types"))
                .contains(name));

        JsonNode old = api.call("GET", "/v2/types/" + id).version("2.6").send().json().path("share_type");
        assertTrue(old.path("os-share-type-access:is_public").asBoolean(), "below 2.7 the extension's key: " + old);
        assertFalse(old.has("share_type_access:is_public"));
        assertFalse(old.has("description"), "description from 2.41");
        assertFalse(old.has("is_default"), "is_default from 2.46");
        assertFalse(old.path("extra_specs").has("create_share_from_snapshot_support"), "inferred specs from 2.24");
        JsonNode at240 = api.call("GET", "/v2/types/" + id).version("2.40").send().json().path("share_type");
        assertTrue(at240.has("share_type_access:is_public") && !at240.has("description"), at240.toString());
    }

    @Test
    void onlyAdminsWriteTypesTheirSpecsAndAccess() {
        String id = createType(unique("plain"), "").path("id").asText();
        String project = UUID.randomUUID().toString();
        List<ApiClient.Call> writes = List.of(
                api.call("POST", "/v2/types").body("{\"share_type\": {\"name\": \"mine\", \"extra_specs\": "
                        + "{\"driver_handles_share_servers\": false}}}"),
                api.call("DELETE", "/v2/types/" + id),
                api.call("GET", "/v2/types/" + id + "/extra_specs"),
                api.call("GET", "/v2/types/" + id + "/extra_specs/driver_handles_share_servers"),
                api.call("POST", "/v2/types/" + id + "/extra_specs").body("{\"extra_specs\": {\"k\": \"v\"}}"),
                api.call("PUT", "/v2/types/" + id + "/extra_specs/k").body("{\"k\": \"v\"}"),
                api.call("DELETE", "/v2/types/" + id + "/extra_specs/k"),
                api.call("GET", "/v2/types/" + id + "/share_type_access"),
                api.call("POST", "/v2/types/" + id + "/action").body("{\"addProjectAccess\": {\"project\": \""
                        + project + "\"}}"));
        for (ApiClient.Call write : writes) {
            ApiClient.Response r = write.version("2.91").send();
            assertEquals(403, r.status(), r.toString());
            assertEquals("forbidden", r.fault());
        }
        assertEquals(200, api.call("GET", "/v2/types/" + id).version("2.91").send().status(), "the type is still there");
    }

    @Test
    void aTypeNeedsDriverHandlesShareServersAndAUniqueName() {
        ApiClient.Response missing = api.call("POST", "/v2/types").token(ADMIN).version("2.91")
                .body("{\"share_type\": {\"name\": \"" + unique("nospec") + "\"}}").send();
        assertEquals(400, missing.status(), missing.toString());
        assertTrue(missing.message().contains("driver_handles_share_servers"), missing.message());
        ApiClient.Response notBoolean = api.call("POST", "/v2/types").token(ADMIN).version("2.91")
                .body("{\"share_type\": {\"name\": \"" + unique("maybe") + "\", \"extra_specs\": "
                        + "{\"driver_handles_share_servers\": \"maybe\"}}}").send();
        assertEquals(400, notBoolean.status(), notBoolean.toString());
        ApiClient.Response badSnapshot = api.call("POST", "/v2/types").token(ADMIN).version("2.91")
                .body("{\"share_type\": {\"name\": \"" + unique("snap") + "\", \"extra_specs\": "
                        + "{\"driver_handles_share_servers\": \"false\", \"snapshot_support\": \"often\"}}}").send();
        assertEquals(400, badSnapshot.status(), badSnapshot.toString());
        ApiClient.Response noName = api.call("POST", "/v2/types").token(ADMIN).version("2.91")
                .body("{\"share_type\": {\"extra_specs\": {\"driver_handles_share_servers\": false}}}").send();
        assertEquals(400, noName.status(), noName.toString());
        ApiClient.Response describedTooEarly = api.call("POST", "/v2/types").token(ADMIN).version("2.40")
                .body("{\"share_type\": {\"name\": \"" + unique("early") + "\", \"description\": \"d\", "
                        + "\"extra_specs\": {\"driver_handles_share_servers\": false}}}").send();
        assertEquals(400, describedTooEarly.status(), describedTooEarly.toString());
        assertTrue(describedTooEarly.message().contains("2.41"), describedTooEarly.message());

        String name = unique("twice");
        createType(name, "");
        ApiClient.Response again = api.call("POST", "/v2/types").token(ADMIN).version("2.91")
                .body("{\"share_type\": {\"name\": \"" + name + "\", \"extra_specs\": "
                        + "{\"driver_handles_share_servers\": false}}}").send();
        assertEquals(409, again.status(), again.toString());
        assertEquals("Share Type " + name + " already exists.", again.message());

        ApiClient.Response old = api.call("POST", "/v2/types").token(ADMIN).version("2.23")
                .body("{\"share_type\": {\"name\": \"" + unique("old") + "\", \"extra_specs\": "
                        + "{\"driver_handles_share_servers\": false}}}").send();
        assertEquals(200, old.status(), old.toString());
        assertEquals("True", old.json().path("share_type").path("extra_specs").path("snapshot_support").asText(),
                "below 2.24 snapshot_support defaults to True");
    }

    @Test
    void unknownTypesAre404() {
        String nobody = UUID.randomUUID().toString();
        for (ApiClient.Call call : List.of(api.call("GET", "/v2/types/" + nobody).token(ADMIN),
                api.call("DELETE", "/v2/types/" + nobody).token(ADMIN),
                api.call("GET", "/v2/types/" + nobody + "/extra_specs").token(ADMIN),
                api.call("GET", "/v2/types/" + nobody + "/share_type_access").token(ADMIN),
                api.call("GET", "/v2/types/" + nobody),
                api.call("GET", "/v2/types/default"))) {
            ApiClient.Response r = call.version("2.91").send();
            assertEquals(404, r.status(), r.toString());
            assertEquals("itemNotFound", r.fault());
        }
        ApiClient.Response share = createShare("alice:p1", "2.91", "no-such-type");
        assertEquals(404, share.status(), share.toString());
        assertEquals("Share type not found.", share.message());
        assertEquals(404, createShare("alice:p1", "2.91", nobody).status());
    }

    @Test
    void aPrivateTypeIsSeenOnlyByAdminsAndTheProjectsGivenAccess() {
        String name = unique("secret");
        String id = createType(name, ", \"share_type_access:is_public\": false").path("id").asText();
        String project = UUID.randomUUID().toString();
        String user = "bob:" + project;

        assertFalse(names(api.call("GET", "/v2/types").token(user).version("2.91").send().json()
                .path("share_types")).contains(name));
        assertEquals(404, api.call("GET", "/v2/types/" + id).token(user).version("2.91").send().status());
        assertEquals(404, createShare(user, "2.91", name).status());
        assertFalse(names(api.call("GET", "/v2/types").token(ADMIN).version("2.91").send().json()
                .path("share_types")).contains(name), "admins list public types unless they ask for is_public=all");
        assertTrue(names(api.call("GET", "/v2/types?is_public=all").token(ADMIN).version("2.91").send().json()
                .path("share_types")).contains(name));
        List<String> privateOnly = names(api.call("GET", "/v2/types?is_public=false").token(ADMIN).version("2.91")
                .send().json().path("share_types"));
        assertTrue(privateOnly.contains(name), privateOnly.toString());
        assertEquals(400, api.call("GET", "/v2/types?is_public=sometimes").token(ADMIN).version("2.91").send()
                .status());

        ApiClient.Response add = api.call("POST", "/v2/types/" + id + "/action").token(ADMIN).version("2.91")
                .body("{\"addProjectAccess\": {\"project\": \"" + project + "\"}}").send();
        assertEquals(202, add.status(), add.toString());
        assertEquals(409, api.call("POST", "/v2/types/" + id + "/action").token(ADMIN).version("2.91")
                .body("{\"addProjectAccess\": {\"project\": \"" + project + "\"}}").send().status());
        JsonNode access = api.call("GET", "/v2/types/" + id + "/share_type_access").token(ADMIN).version("2.91")
                .send().json().path("share_type_access");
        assertEquals(1, access.size(), access.toString());
        assertEquals(project, access.get(0).path("project_id").asText());
        assertEquals(id, access.get(0).path("share_type_id").asText());

        assertTrue(names(api.call("GET", "/v2/types").token(user).version("2.91").send().json().path("share_types"))
                .contains(name));
        JsonNode shown = api.call("GET", "/v2/types/" + id).token(user).version("2.91").send().json()
                .path("share_type");
        assertFalse(shown.path("share_type_access:is_public").asBoolean(true));
        ApiClient.Response share = createShare(user, "2.91", name);
        assertEquals(200, share.status(), share.toString());
        assertEquals(id, share.json().path("share").path("share_type").asText());
        assertEquals(404, createShare("carol:" + UUID.randomUUID(), "2.91", name).status(),
                "another project still cannot use it");

        ApiClient.Response remove = api.call("POST", "/v2/types/" + id + "/action").token(ADMIN).version("2.91")
                .body("{\"removeProjectAccess\": {\"project\": \"" + project + "\"}}").send();
        assertEquals(202, remove.status(), remove.toString());
        assertEquals(404, api.call("GET", "/v2/types/" + id).token(user).version("2.91").send().status());
        assertEquals(404, api.call("POST", "/v2/types/" + id + "/action").token(ADMIN).version("2.91")
                .body("{\"removeProjectAccess\": {\"project\": \"" + project + "\"}}").send().status());
    }

    @Test
    void accessListsAreForPrivateTypesAndProjectIds() {
        String publicId = createType(unique("open"), "").path("id").asText();
        String project = UUID.randomUUID().toString();
        ApiClient.Response onPublic = api.call("POST", "/v2/types/" + publicId + "/action").token(ADMIN)
                .version("2.91").body("{\"addProjectAccess\": {\"project\": \"" + project + "\"}}").send();
        assertEquals(409, onPublic.status(), onPublic.toString());
        assertEquals(404, api.call("GET", "/v2/types/" + publicId + "/share_type_access").token(ADMIN).version("2.91")
                .send().status());
        String privateId = createType(unique("closed"), ", \"share_type_access:is_public\": false").path("id")
                .asText();
        ApiClient.Response badProject = api.call("POST", "/v2/types/" + privateId + "/action").token(ADMIN)
                .version("2.91").body("{\"addProjectAccess\": {\"project\": \"not a project id\"}}").send();
        assertEquals(400, badProject.status(), badProject.toString());
        assertTrue(badProject.message().startsWith("Bad project format"), badProject.message());
        assertEquals(400, api.call("POST", "/v2/types/" + privateId + "/action").token(ADMIN).version("2.91")
                .body("{\"dance\": {}}").send().status());
    }

    @Test
    void aShareCreatedWithATypeByNameOrIdShowsItAsEachMicroversionDoes() {
        String name = unique("silver");
        String id = createType(name, "").path("id").asText();

        ApiClient.Response byName = createShare("alice:p1", "2.91", name);
        assertEquals(200, byName.status(), byName.toString());
        JsonNode share = byName.json().path("share");
        assertEquals(id, share.path("share_type").asText());
        assertEquals(name, share.path("share_type_name").asText());
        ApiClient.Response byId = createShare("alice:p1", "2.91", id);
        assertEquals(200, byId.status(), byId.toString());
        assertEquals(name, byId.json().path("share").path("share_type_name").asText());
        ApiClient.Response asVolumeType = api.call("POST", "/v2/shares").version("2.91")
                .body("{\"share\": {\"share_proto\": \"NFS\", \"size\": 1, \"volume_type\": \"" + name + "\"}}")
                .send();
        assertEquals(id, asVolumeType.json().path("share").path("share_type").asText(), asVolumeType.toString());
        assertEquals(400, api.call("POST", "/v2/shares").version("2.91").body("{\"share\": {\"share_proto\": "
                + "\"NFS\", \"size\": 1, \"volume_type\": \"" + name + "\", \"share_type\": \"" + name + "\"}}")
                .send().status());

        String shareId = share.path("id").asText();
        JsonNode shown = api.call("GET", "/v2/shares/" + shareId).version("2.6").send().json().path("share");
        assertEquals(id, shown.path("share_type").asText());
        assertEquals(name, shown.path("share_type_name").asText());
        JsonNode old = api.call("GET", "/v2/shares/" + shareId).version("2.5").send().json().path("share");
        assertEquals(name, old.path("share_type").asText(), "below 2.6 share_type is the type's name");
        assertFalse(old.has("share_type_name"));
        assertEquals(name, old.path("volume_type").asText());
        JsonNode listed = null;
        for (JsonNode item : api.call("GET", "/v2/shares/detail").version("2.91").send().json().path("shares")) {
            if (item.path("id").asText().equals(shareId)) {
                listed = item;
            }
        }
        assertTrue(listed != null && id.equals(listed.path("share_type").asText()), String.valueOf(listed));

        ApiClient.Response untyped = createShare("alice:p1", "2.91", null);
        assertEquals(200, untyped.status(), untyped.toString());
        assertTrue(untyped.json().path("share").path("share_type").isNull(), "no type while no default is set");
        assertTrue(untyped.json().path("share").path("share_type_name").isNull());
    }

    @Test
    void aTypeInUseCannotBeDeletedAndAnUnusedOneCan() {
        String used = createType(unique("used"), "").path("id").asText();
        assertEquals(200, createShare("alice:p1", "2.91", used).status());
        ApiClient.Response inUse = api.call("DELETE", "/v2/types/" + used).token(ADMIN).version("2.91").send();
        assertEquals(400, inUse.status(), inUse.toString());
        assertTrue(inUse.message().startsWith("Target share type is still in use."), inUse.message());
        assertEquals(200, api.call("GET", "/v2/types/" + used).version("2.91").send().status());

        String unused = createType(unique("unused"), "").path("id").asText();
        assertEquals(202, api.call("DELETE", "/v2/types/" + unused).token(ADMIN).version("2.91").send().status());
        assertEquals(404, api.call("GET", "/v2/types/" + unused).token(ADMIN).version("2.91").send().status());
    }

    @Test
    void extraSpecsAreSetShownUpdatedAndDeletedAsManilaDoes() {
        String id = createType(unique("specs"), "").path("id").asText();
        String specs = "/v2/types/" + id + "/extra_specs";
        ApiClient.Response set = api.call("POST", specs).token(ADMIN).version("2.91")
                .body("{\"extra_specs\": {\"provisioning:max_share_size\": \"5\", \"ferry:tier\": \"gold\"}}").send();
        assertEquals(200, set.status(), set.toString());
        assertEquals("5", set.json().path("extra_specs").path("provisioning:max_share_size").asText());
        JsonNode all = api.call("GET", specs).token(ADMIN).version("2.91").send().json().path("extra_specs");
        assertEquals(3, all.size(), all.toString());
        ApiClient.Response one = api.call("GET", specs + "/ferry:tier").token(ADMIN).version("2.91").send();
        assertEquals("gold", one.json().path("ferry:tier").asText(), one.toString());
        ApiClient.Response updated = api.call("PUT", specs + "/ferry:tier").token(ADMIN).version("2.91")
                .body("{\"ferry:tier\": \"silver\"}").send();
        assertEquals(200, updated.status(), updated.toString());
        assertEquals("silver", api.call("GET", specs + "/ferry:tier").token(ADMIN).version("2.91").send().json()
                .path("ferry:tier").asText());
        assertEquals(400, api.call("PUT", specs + "/ferry:tier").token(ADMIN).version("2.91")
                .body("{\"other\": \"x\"}").send().status());
        assertEquals(400, api.call("POST", specs).token(ADMIN).version("2.91")
                .body("{\"extra_specs\": {\"bad key!\": \"x\"}}").send().status());
        assertEquals(400, api.call("POST", specs).token(ADMIN).version("2.91")
                .body("{\"extra_specs\": {\"driver_handles_share_servers\": \"perhaps\"}}").send().status());

        ApiClient.Response required = api.call("DELETE", specs + "/driver_handles_share_servers").token(ADMIN)
                .version("2.91").send();
        assertEquals(403, required.status(), required.toString());
        assertEquals("Extra spec 'driver_handles_share_servers' can't be deleted.", required.message());
        assertEquals(202, api.call("DELETE", specs + "/ferry:tier").token(ADMIN).version("2.91").send().status());
        assertEquals(404, api.call("DELETE", specs + "/ferry:tier").token(ADMIN).version("2.91").send().status());
        assertEquals(404, api.call("GET", specs + "/ferry:tier").token(ADMIN).version("2.91").send().status());

        ApiClient.Response tooBig = createShare("alice:p1", "2.91", id);
        assertEquals(200, tooBig.status(), "1 GiB is within the type's maximum of 5: " + tooBig);
        ApiClient.Response over = api.call("POST", "/v2/shares").version("2.91").body("{\"share\": {\"share_proto\": "
                + "\"NFS\", \"size\": 6, \"share_type\": \"" + id + "\"}}").send();
        assertEquals(400, over.status(), over.toString());
        assertTrue(over.message().contains("maximum allowable size of '5'"), over.message());
    }

    @Test
    void aTypeThatNeedsShareServersCannotBeUsedWithoutAShareNetwork() {
        String id = api.call("POST", "/v2/types").token(ADMIN).version("2.91")
                .body("{\"share_type\": {\"name\": \"" + unique("dhss") + "\", \"extra_specs\": "
                        + "{\"driver_handles_share_servers\": true}}}").send().json().path("share_type").path("id")
                .asText();
        ApiClient.Response r = createShare("alice:p1", "2.91", id);
        assertEquals(400, r.status(), r.toString());
        assertTrue(r.message().startsWith("Share network must be set when the driver_handles_share_servers is true."),
                r.message());
    }

    @Test
    void typesAreAlsoServedUnderTheProjectPath() {
        String name = unique("scoped");
        createType(name, "");
        ApiClient.Response r = api.call("GET", "/v2/p1/types").version("2.91").send();
        assertEquals(200, r.status(), r.toString());
        assertTrue(names(r.json().path("share_types")).contains(name));
        assertEquals(r.json().path("share_types"), r.json().path("volume_types"));
    }
}
