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
 * FERRY_AUTH=tokens and FERRY_AUTH=keystone in the real api-gateway process, on RabbitMQ and PostgreSQL,
 * and a malformed tokens file stopping it at start.
 */
class AuthModesIT {
    private static final String TOKEN = "it-token-" + System.nanoTime();

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTokenFromTheTokensFileWorksAndAWrongOneIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("ferry-it-tokens-");
        Path tokens = Files.writeString(dir.resolve("tokens"),
                "# made with: printf %s \"$TOKEN\" | sha256sum\n" + sha256(TOKEN) + " carol p-carol member,reader\n");
        try (FerrySystem system = FerrySystem.start("auth-tokens", true,
                Map.of("FERRY_AUTH", "tokens", "FERRY_TOKENS_FILE", tokens.toString()))) {
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
    void keystoneHeadersFromTheLocalProxyAreBelieved() throws Exception {
        try (FerrySystem system = FerrySystem.start("auth-keystone", true, Map.of("FERRY_AUTH", "keystone"))) {
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
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
