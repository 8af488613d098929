package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FERRY_AUTH=tokens and FERRY_AUTH=keystone-proxy in the real api-gateway process (FERRY_AUTH=keystone, with a
 * real Keystone, is {@link KeystoneIT}'s), on RabbitMQ and PostgreSQL,
 * a malformed tokens file stopping it at start, and {@code ferry api} refusing to start without FERRY_AUTH or
 * with noauth on an address other than loopback.
 */
class AuthModesIT {
    private static final String TOKEN = "it-token-" + System.nanoTime();

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTokenFromTheTokensFileWorksOnAllAddressesAndAWrongOneIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("ferry-it-tokens-");
        Path tokens = Files.writeString(dir.resolve("tokens"),
                "# made with: printf %s \"$TOKEN\" | sha256sum\n" + sha256(TOKEN) + " carol p-carol member,reader\n");
        try (FerrySystem system = FerrySystem.start("auth-tokens", true, Map.of("FERRY_AUTH", "tokens",
                "FERRY_TOKENS_FILE", tokens.toString(), "FERRY_HTTP_BIND", "0.0.0.0:{port}"))) {
            assertTrue(system.api().log().contains("authentication: FERRY_AUTH=tokens"), system.api()::tail);
            ApiClient.Response ok = new ApiClient(system.baseUrl(), TOKEN, "2.91", true).get("/v2/share-backups");
            assertEquals(200, ok.status(), ok::toString);
            assertEquals(0, ok.body().get("share_backups").size(), ok::toString);

            ApiClient.Response wrong = new ApiClient(system.baseUrl(), TOKEN + "x", "2.91", true)
                    .get("/v2/share-backups");
            assertEquals(401, wrong.status(), wrong::toString);
            assertEquals(401, wrong.body().at("/unauthorized/code").asInt(), wrong::toString);
            assertTrue(wrong.body().at("/unauthorized/message").asText().contains("is not known"), wrong::toString);
            assertTrue(!wrong.raw().body().contains(TOKEN), "the token is never echoed");

            ApiClient.Response noauthStyle = system.admin().get("/v2/share-backups");
            assertEquals(401, noauthStyle.status(), "noauth tokens mean nothing in tokens mode");
        } finally {
            Files.deleteIfExists(tokens);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void keystoneProxyHeadersFromTheLocalProxyAreBelieved() throws Exception {
        try (FerrySystem system = FerrySystem.start("auth-keystone-proxy", true,
                Map.of("FERRY_AUTH", "keystone-proxy"))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.baseUrl() + "/v2/share-backups"))
                    .timeout(Duration.ofSeconds(30)).header("X-OpenStack-Manila-API-Version", "2.91")
                    .header("X-OpenStack-Manila-API-Experimental", "True")
                    .header("X-User-Id", "u-1").header("X-Project-Id", "p-1").header("X-Roles", "reader");
            HttpResponse<String> confirmed = http.send(request.copy().header("X-Identity-Status", "Confirmed")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, confirmed.statusCode(), confirmed::body);

            HttpResponse<String> invalid = http.send(request.copy().header("X-Identity-Status", "Invalid").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, invalid.statusCode(), invalid::body);
            assertTrue(invalid.body().contains("X-Identity-Status is not Confirmed"), invalid::body);
        }
    }

    @Test
    void theGatewayRefusesToStartWithoutFerryAuth() throws Exception {
        Path dir = Files.createTempDirectory("ferry-it-noauthmode-");
        try {
            int port = FerrySystem.freePort();
            FerryProcess api = FerryProcess.start("auth-unset-api", dir, Map.of("FERRY_HTTP_BIND", "127.0.0.1:" + port,
                    "FERRY_DB_URL", "jdbc:h2:mem:unused"), "api");
            assertEquals(78, api.awaitExit(Duration.ofSeconds(60)), api::tail);
            assertTrue(api.log().contains("ferry api: FERRY_AUTH is not set: set FERRY_AUTH=tokens (with "
                    + "FERRY_TOKENS_FILE"), api::tail);
            assertTrue(api.log().contains("noauth is for development on 127.0.0.1 only"), api::tail);
            assertTrue(!api.log().contains("api-gateway") && !api.log().contains("Exception"),
                    () -> "refused before anything starts, in one plain line:\n" + api.tail());
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void theGatewayRefusesNoauthOnAllAddressesAndServesItOnLoopback() throws Exception {
        Path dir = Files.createTempDirectory("ferry-it-noauth-everywhere-");
        try {
            int port = FerrySystem.freePort();
            FerryProcess api = FerryProcess.start("auth-noauth-everywhere-api", dir, Map.of("FERRY_AUTH", "noauth",
                    "FERRY_HTTP_BIND", "0.0.0.0:" + port, "FERRY_DB_URL", "jdbc:h2:mem:unused"), "api");
            assertEquals(78, api.awaitExit(Duration.ofSeconds(60)), api::tail);
            assertTrue(api.log().contains("ferry api: FERRY_AUTH=noauth is refused on FERRY_HTTP_BIND=0.0.0.0:" + port
                    + ": with noauth anyone who reaches the API is an admin"), api::tail);
            assertTrue(api.log().contains("set FERRY_AUTH=tokens (with FERRY_TOKENS_FILE"), api::tail);
        } finally {
            deleteTree(dir);
        }

        try (FerrySystem system = FerrySystem.start("auth-noauth-loopback", true,
                Map.of("FERRY_AUTH", "noauth", "FERRY_HTTP_BIND", "127.0.0.1:{port}"))) {
            ApiClient.Response alice = system.user("alice", "demo").get("/v2/share-backups");
            assertEquals(200, alice.status(), alice::toString);
            ApiClient.Response admin = system.admin().get("/admin/jobs");
            assertEquals(200, admin.status(), "on loopback, noauth's admin is an admin: " + admin);
        }
    }

    @Test
    void aMalformedTokensFileStopsTheGatewayAtStartNamingTheLine() throws Exception {
        Path dir = Files.createTempDirectory("ferry-it-badtokens-");
        try {
            Path tokens = Files.writeString(dir.resolve("tokens"), "# ok\n" + TOKEN + " carol p-carol member\n");
            FerryProcess api = FerryProcess.start("auth-bad-tokens-api", dir, Map.of("FERRY_AUTH", "tokens",
                    "FERRY_TOKENS_FILE", tokens.toString(), "FERRY_HTTP_BIND", "127.0.0.1:" + FerrySystem.freePort(),
                    "FERRY_DB_URL", "jdbc:h2:mem:unused"), "api");
            assertNotEquals(0, api.awaitExit(Duration.ofSeconds(60)), api::tail);
            assertTrue(api.log().contains("FERRY_TOKENS_FILE " + tokens + " line 2: the first field is not a SHA-256"),
                    api::tail);
            assertTrue(!api.log().contains(TOKEN), "the malformed line's content is not logged");
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
