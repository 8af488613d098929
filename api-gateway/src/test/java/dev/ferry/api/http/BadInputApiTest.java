package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.ShareStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Named bad inputs: each answers 4xx with a Manila fault body. */
class BadInputApiTest extends InProcessGateway {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ApiClient.Response raw(String method, String path, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("X-Auth-Token", "alice:p1")
                .header("X-OpenStack-Manila-API-Version", "2.91").header("X-OpenStack-Manila-API-Experimental", "True")
                .header("Content-Type", "application/json").build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new ApiClient.Response(r.statusCode(), r.headers(), r.body());
    }

    @Test
    void nonUtf8BodiesAre400() throws Exception {
        byte[] body = "{\"share_backup\": {\"name\": \"\u00ff\"}}".getBytes(StandardCharsets.ISO_8859_1);
        ApiClient.Response r = raw("POST", "/v2/share-backups", body);
        assertEquals(400, r.status(), r.toString());
        assertEquals("Malformed request body", r.message());
    }

    @Test
    void bodiesOverOneMebibyteAre413OverLimit() throws Exception {
        byte[] body = new byte[(1 << 20) + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        ApiClient.Response r = raw("POST", "/v2/share-backups", body);
        assertEquals(413, r.status(), r.toString());
        assertEquals("overLimit", r.fault());
        assertEquals("0", r.json().path("overLimit").path("retryAfter").asText());
        byte[] justFits = new byte[1 << 20];
        java.util.Arrays.fill(justFits, (byte) ' ');
        assertEquals(422, raw("POST", "/v2/share-backups", justFits).status(), "1 MiB of blanks is an empty body");
    }

    @Test
    void wrongJsonTypesAre4xx() {
        Backup backup = f.backup(f.share("p1", 1, ShareStatus.AVAILABLE), 1, BackupStatus.AVAILABLE);
        String action = "/v2/share-backups/" + backup.id() + "/action";
        assertEquals(422, api.backups("POST", "/v2/share-backups").body("{\"share_backup\": []}").send().status());
        ApiClient.Response restore = api.backups("POST", action).body("{\"restore\": 5}").send();
        assertEquals(400, restore.status());
        assertEquals("badRequest", restore.fault());
        assertEquals(400, api.backups("POST", action).body("{\"restore\": {\"x\": 1}}").send().status());
        assertEquals(400, api.backups("POST", "/v2/share-backups").body("{\"share_backup\": {\"share_id\": \"x\", "
                + "\"name\": 7}}").send().status());
        assertEquals(400, api.backups("POST", "/v2/share-backups").body("{\"share_backup\": {\"share_id\": [1]}}")
                .send().status());
        ApiClient.Response longName = api.backups("POST", "/v2/share-backups").body("{\"share_backup\": "
                + "{\"share_id\": \"x\", \"name\": \"" + "n".repeat(256) + "\"}}").send();
        assertEquals(400, longName.status());
        assertEquals(400, api.backups("POST", "/v2/share-backups").body("{\"share_backup\": {\"share_id\": \"x\", "
                + "\"backup_options\": {\"backup_type\": \"" + "t".repeat(33) + "\"}}}").send().status());
        assertEquals(400, api.backups("PUT", "/v2/share-backups/" + backup.id())
                .body("{\"share_backup\": {\"name\": \"a\\u0000b\"}}").send().status());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
    }

    @Test
    void invalidIdsInPathsAre404() {
        ApiClient.Response nul = api.backups("GET", "/v2/share-backups/%00").send();
        assertEquals(400, nul.status(), "Jetty refuses a NUL in the path itself");
        assertEquals("badRequest", nul.fault());
        for (String id : new String[] {"not-a-uuid", "x".repeat(300), "%C3%A9"}) {
            ApiClient.Response r = api.backups("GET", "/v2/share-backups/" + id).send();
            assertEquals(404, r.status(), id);
            assertEquals("itemNotFound", r.fault());
            assertEquals(404, api.backups("POST", "/v2/share-backups/" + id + "/action")
                    .body("{\"restore\": null}").send().status(), id);
            assertEquals(404, api.call("GET", "/v2/messages/" + id).version("2.37").send().status(), id);
            assertEquals(404, api.call("DELETE", "/v2/messages/" + id).version("2.37").send().status(), id);
        }
    }
}
