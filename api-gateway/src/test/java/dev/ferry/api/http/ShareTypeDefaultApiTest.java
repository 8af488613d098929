package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.ApiConfig;
import org.junit.jupiter.api.Test;

/** FERRY_DEFAULT_SHARE_TYPE: {@code GET /v2/types/default}, {@code is_default}, and shares created without a type. */
class ShareTypeDefaultApiTest extends InProcessGateway {
    private static final String ADMIN = "admin:ops";
    private static final String DEFAULT = "default_nfs";

    @Override
    protected ApiConfig config(ApiConfig defaults) {
        return defaults.withShareBaseExport("10.0.0.9:/exports/ferry").withDefaultShareType(DEFAULT);
    }

    private ApiClient.Response createShare(String token) {
        return api.call("POST", "/v2/shares").token(token).version("2.91")
                .body("{\"share\": {\"share_proto\": \"NFS\", \"size\": 1}}").send();
    }

    @Test
    void theDefaultTypeIsShownAndGivenToSharesThatNameNoType() {
        ApiClient.Response none = api.call("GET", "/v2/types/default").version("2.91").send();
        assertEquals(404, none.status(), "the named default does not exist yet: " + none);
        ApiClient.Response untyped = createShare("alice:p1");
        assertEquals(200, untyped.status(), untyped.toString());
        assertTrue(untyped.json().path("share").path("share_type").isNull(),
                "a default that does not exist gives no type, as Manila: " + untyped);

        ApiClient.Response created = api.call("POST", "/v2/types").token(ADMIN).version("2.91")
                .body("{\"share_type\": {\"name\": \"" + DEFAULT + "\", \"share_type_access:is_public\": false, "
                        + "\"extra_specs\": {\"driver_handles_share_servers\": false}}}").send();
        assertEquals(200, created.status(), created.toString());
        String id = created.json().path("share_type").path("id").asText();
        assertTrue(created.json().path("share_type").path("is_default").asBoolean());

        JsonNode shown = api.call("GET", "/v2/types/default").token(ADMIN).version("2.91").send().json()
                .path("share_type");
        assertEquals(id, shown.path("id").asText());
        assertTrue(shown.path("is_default").asBoolean());
        assertFalse(api.call("GET", "/v2/types/default").token(ADMIN).version("2.45").send().json()
                .path("share_type").has("is_default"), "is_default from 2.46");
        assertEquals(404, api.call("GET", "/v2/types/default").version("2.91").send().status(),
                "a private default type is not shown to a project without access");

        ApiClient.Response typed = createShare("alice:p1");
        assertEquals(200, typed.status(), typed.toString());
        assertEquals(id, typed.json().path("share").path("share_type").asText(),
                "as in Manila, every project's new share gets the default type, even a private one");
        assertEquals(DEFAULT, typed.json().path("share").path("share_type_name").asText());
    }
}
