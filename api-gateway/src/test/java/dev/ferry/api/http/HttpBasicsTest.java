package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpBasicsTest extends InProcessGateway {

    @Test
    void theRootIsManilasVersionsDocumentWhateverVersionIsAsked() {
        for (String version : new String[] {"2.95", "garbage", "2.0"}) {
            ApiClient.Response r = api.call("GET", "/").token(null).version(version).send();
            assertEquals(200, r.status(), r.toString());
            JsonNode current = null;
            for (JsonNode v : r.json().path("versions")) {
                if (v.path("status").asText().equals("CURRENT")) {
                    current = v;
                }
            }
            assertNotNull(current, r.text());
            assertEquals("v2.0", current.path("id").asText());
            assertEquals("2.91", current.path("version").asText());
            assertEquals("2.0", current.path("min_version").asText());
            assertTrue(current.path("links").isArray());
            assertTrue(current.path("media-types").isArray());
        }
    }

    @Test
    void healthzSaysOkWhileTheDatabaseAnswers() {
        ApiClient.Response r = api.call("GET", "/healthz").token(null).send();
        assertEquals(200, r.status());
        assertEquals("ok", r.json().path("status").asText());
    }

    @Test
    void unknownPathsAreItemNotFoundFaults() {
        ApiClient.Response r = api.call("GET", "/v2/no-such-thing/at/all").send();
        assertEquals(404, r.status());
        assertEquals("itemNotFound", r.fault());
        assertEquals(404, r.json().path("itemNotFound").path("code").asInt());
        assertEquals("The resource could not be found.", r.message());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
    }

    @Test
    void aWrongMethodIsAFaultNotAnHtmlPage() {
        ApiClient.Response r = api.call("PATCH", "/v2/shares/detail").send();
        assertEquals(405, r.status());
        assertEquals("computeFault", r.fault());
        assertTrue(r.message().contains("PATCH"), r.message());
    }

    @Test
    void requestsJettyRejectsAreFaultsTooNotHtmlPages() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.getOutputStream().write("GET /v2/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("application/json"), response);
            assertTrue(response.contains("\"badRequest\""), response);
        }
    }

    @Test
    void aMissingOrMalformedTokenIs401() {
        ApiClient.Response missing = api.call("GET", "/v2/shares").token(null).send();
        assertEquals(401, missing.status());
        assertEquals("unauthorized", missing.fault());
        assertTrue(missing.message().contains("X-Auth-Token"), missing.message());
        ApiClient.Response malformed = api.call("GET", "/v2/shares").token("alice").send();
        assertEquals(401, malformed.status());
        assertTrue(malformed.message().contains("<user>:<project>"), malformed.message());
    }

    @Test
    void versionHeadersAreCheckedAndEchoed() {
        ApiClient.Response none = api.call("GET", "/v2/shares").send();
        assertEquals(200, none.status());
        assertEquals("2.0", none.header("X-OpenStack-Manila-API-Version"));
        assertEquals("X-OpenStack-Manila-API-Version", none.header("Vary"));
        assertNotNull(none.header("X-OpenStack-Request-Id"));
        assertEquals(none.header("X-OpenStack-Request-Id"), none.header("X-Compute-Request-Id"));

        ApiClient.Response latest = api.call("GET", "/v2/shares").header("x-openstack-manila-api-version", "latest")
                .send();
        assertEquals("2.91", latest.header("X-OpenStack-Manila-API-Version"));

        ApiClient.Response malformed = api.call("GET", "/v2/shares").version("2.x").send();
        assertEquals(400, malformed.status());
        assertEquals("badRequest", malformed.fault());

        for (String unsupported : new String[] {"2.92", "3.0"}) {
            ApiClient.Response r = api.call("GET", "/v2/shares").version(unsupported).send();
            assertEquals(406, r.status());
            assertEquals("computeFault", r.fault());
            assertEquals("Version " + unsupported + " is not supported by the API. Minimum is 2.0 and maximum is "
                    + "2.91.", r.message());
        }
    }

    @Test
    void backupEndpointsEchoTheExperimentalHeader() {
        ApiClient.Response r = api.backups("GET", "/v2/share-backups").send();
        assertEquals(200, r.status());
        assertEquals("True", r.header("X-OpenStack-Manila-API-Experimental"));
        assertNull(api.call("GET", "/v2/shares").send().header("X-OpenStack-Manila-API-Experimental"));
    }

    @Test
    void routesAreServedUnderTheCallersProjectToo() {
        Share share = f.share("p1", 1, ShareStatus.AVAILABLE);
        assertEquals(200, api.call("GET", "/v2/p1/shares/" + share.id()).send().status());
        ApiClient.Response foreign = api.call("GET", "/v2/p2/shares/" + share.id()).send();
        assertEquals(400, foreign.status());
        assertEquals("Malformed request url", foreign.message());
        assertEquals(200, api.call("GET", "/v2/p2/shares/" + share.id()).token("admin:ops").send().status());
        assertEquals(200, api.backups("GET", "/v2/p1/share-backups/detail").send().status());
    }
}
