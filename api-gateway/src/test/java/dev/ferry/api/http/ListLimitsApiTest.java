package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.ApiConfig;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.messages.JobKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every list holds at most FERRY_MAX_PAGE_SIZE items (here 5), also without a {@code limit}, and says where the next
 * page is with Manila's {@code <name>_links}; links start with FERRY_PUBLIC_URL, never with the request's Host.
 */
class ListLimitsApiTest extends InProcessGateway {
    private static final int MAX = 5;
    private static final int ROWS = 12;
    private static final String PUBLIC = "https://ferry.example.com:8443/share";
    private static final String PROJECT = "plist";
    private static final String ME = "lena:" + PROJECT;
    private final List<String> shareIds = new ArrayList<>();
    private final List<String> backupIds = new ArrayList<>();
    private final List<String> messageIds = new ArrayList<>();

    @Override
    protected ApiConfig config(ApiConfig noauth) {
        return ApiConfig.fromEnv(Map.of("FERRY_HTTP_BIND", noauth.httpHost() + ":0", "FERRY_DB_URL", noauth.dbUrl(),
                "FERRY_DB_USER", noauth.dbUser(), "FERRY_AUTH", "noauth", "FERRY_HOST", "test-host",
                "FERRY_MAX_PAGE_SIZE", Integer.toString(MAX), "FERRY_PUBLIC_URL", PUBLIC + "/")).withoutBroker();
    }

    @BeforeAll
    void rows() {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
        Share first = null;
        for (int i = 0; i < ROWS; i++) {
            Share share = f.share(PROJECT, 1, ShareStatus.AVAILABLE);
            first = first == null ? share : first;
            shareIds.add(share.id());
        }
        for (int i = 0; i < ROWS; i++) {
            // every third one at the same time: the id breaks the tie, and the marker must honour that
            Backup backup = f.backup(first, "b" + i, null, 1, BackupStatus.AVAILABLE, now.minusMinutes(i / 3));
            backupIds.add(backup.id());
            messageIds.add(f.message(PROJECT, first.id(), "028", "032", "req-" + i, now.minusMinutes(i / 3),
                    now.plusDays(1)).id());
            f.job(JobKind.RESTORE, backup, first, JobStatus.SUCCEEDED, 1, "node-1");
        }
    }

    private ApiClient.Call get(String path) {
        return api.call("GET", path).version("2.91").experimental().token(ME);
    }

    private JsonNode ok(ApiClient.Call call) {
        ApiClient.Response r = call.send();
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    @Test
    void withoutALimitAListHoldsTheMaximumAndLinksTheNextPage() {
        for (String[] list : new String[][] {{"/v2/shares", "shares", "shares_links"},
                {"/v2/shares/detail", "shares", "shares_links"}, {"/v2/share-backups", "share_backups",
                "share_backups_links"}, {"/v2/share-backups/detail", "share_backups", "share_backup_links"},
                {"/v2/messages", "messages", "messages_links"}}) {
            JsonNode page = ok(get(list[0]));
            JsonNode items = page.path(list[1]);
            assertEquals(MAX, items.size(), list[0] + ": " + page);
            JsonNode next = page.path(list[2]);
            assertEquals(1, next.size(), list[0] + ": " + page);
            assertEquals("next", next.get(0).path("rel").asText());
            assertEquals(PUBLIC + list[0] + "?limit=" + MAX + "&marker=" + items.get(MAX - 1).path("id").asText(),
                    next.get(0).path("href").asText());
        }
        JsonNode backups = ok(get("/v2/share-backups"));
        assertEquals(backups.path("share_backup_links"), backups.path("share_backups_links"),
                "Manila's key and the plural alias carry the same link");
    }

    @Test
    void aLimitAboveTheMaximumIsCappedAndOneBelowItIsKept() {
        assertEquals(MAX, ok(get("/v2/shares?limit=500")).path("shares").size());
        assertEquals(MAX, ok(get("/v2/share-backups?limit=500")).path("share_backups").size());
        assertEquals(MAX, ok(get("/v2/messages?limit=500")).path("messages").size());
        JsonNode two = ok(get("/v2/shares/detail?limit=2"));
        assertEquals(2, two.path("shares").size());
        assertTrue(two.path("shares_links").get(0).path("href").asText().contains("limit=2&marker="), two::toString);
        assertEquals(MAX, ok(api.call("GET", "/admin/jobs?limit=100000").token("admin:ops")).path("jobs").size(),
                "the admin job list is capped too");
        assertEquals(MAX, ok(api.call("GET", "/admin/jobs").token("admin:ops")).path("jobs").size());
    }

    @Test
    void followingTheNextLinksWalksEveryItemExactlyOnce() {
        assertEquals(Set.copyOf(shareIds), walk("/v2/shares", "shares", "shares_links"));
        assertEquals(Set.copyOf(shareIds), walk("/v2/shares/detail?sort_key=size&sort_dir=asc", "shares",
                "shares_links"));
        assertEquals(Set.copyOf(backupIds), walk("/v2/share-backups/detail", "share_backups", "share_backup_links"));
        assertEquals(Set.copyOf(backupIds), walk("/v2/share-backups?sort_key=created_at&sort_dir=asc&limit=4",
                "share_backups", "share_backups_links"));
        assertEquals(Set.copyOf(messageIds), walk("/v2/messages", "messages", "messages_links"));
        assertEquals(Set.copyOf(messageIds), walk("/v2/messages?sort_key=created_at&sort_dir=asc&limit=3",
                "messages", "messages_links"));
    }

    /** Follows next links from {@code first}; fails on an item seen twice or a page beyond the maximum. */
    private Set<String> walk(String first, String itemsKey, String linksKey) {
        Set<String> seen = new HashSet<>();
        String next = first;
        int pages = 0;
        while (next != null) {
            assertTrue(++pages <= ROWS, "more pages than items: " + first);
            JsonNode page = ok(get(next));
            assertTrue(page.path(itemsKey).size() <= MAX, page::toString);
            for (JsonNode item : page.path(itemsKey)) {
                assertTrue(seen.add(item.path("id").asText()), () -> "seen twice: " + item + " walking " + first);
            }
            JsonNode links = page.path(linksKey);
            if (links.isMissingNode()) {
                next = null;
            } else {
                String href = links.get(0).path("href").asText();
                assertTrue(href.startsWith(PUBLIC + "/v2/"), href);
                next = href.substring(PUBLIC.length());
            }
        }
        return seen;
    }

    @Test
    void aMarkerTheCallerCannotSeeIsRefused() {
        Share foreign = f.share("someone-else", 1, ShareStatus.AVAILABLE);
        ApiClient.Response refused = get("/v2/shares?marker=" + foreign.id()).send();
        assertEquals(400, refused.status(), refused.toString());
        assertTrue(refused.message().startsWith("Marker " + foreign.id() + " not found"), refused.message());
        ApiClient.Response message = get("/v2/messages?marker=no-such-message").send();
        assertEquals(400, message.status(), message.toString());
    }

    @Test
    void theHostHeaderIsNeverReflectedAndLinksUseThePublicUrl() throws IOException {
        String share = shareIds.get(0);
        for (String path : List.of("/", "/v2", "/v2/shares", "/v2/shares/detail?limit=1", "/v2/shares/" + share,
                "/v2/" + PROJECT + "/shares?limit=2", "/v2/messages?limit=1", "/v2/share-backups?limit=1",
                "/v2/messages/" + messageIds.get(0))) {
            String body = rawGet(path, "evil.example");
            assertFalse(body.contains("evil.example"), () -> path + " reflects the Host header: " + body);
            assertTrue(body.contains(PUBLIC + "/v"), () -> path + " has no link to the public URL: " + body);
        }
        // the honest client, whatever Host it sends, gets the same links
        JsonNode versions = ok(api.call("GET", "/").token(null));
        assertEquals(PUBLIC + "/v2/", versions.at("/versions/1/links/1/href").asText());
        JsonNode one = ok(get("/v2/shares/" + share));
        assertEquals(PUBLIC + "/v2/" + PROJECT + "/shares/" + share, one.at("/share/links/0/href").asText());
        assertEquals(PUBLIC + "/v2/" + PROJECT + "/shares?limit=2&marker=" + ok(get("/v2/" + PROJECT
                + "/shares?limit=2")).at("/shares/1/id").asText(), ok(get("/v2/" + PROJECT + "/shares?limit=2"))
                .at("/shares_links/0/href").asText());
    }

    /**
     * A GET with the given Host header, over a plain socket (Java's HTTP client will not send a foreign Host); HTTP/1.0,
     * so the body comes in one piece, not in chunks.
     */
    private String rawGet(String path, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nX-Auth-Token: " + ME
                    + "\r\nX-OpenStack-Manila-API-Version: 2.91\r\nX-OpenStack-Manila-API-Experimental: True\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.matches("(?s)HTTP/1\\.[01] 200 .*"), () -> path + ": " + response);
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }
}
