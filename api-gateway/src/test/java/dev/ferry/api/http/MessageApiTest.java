package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.jobs.RetentionPurger;
import dev.ferry.api.model.UserMessage;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /v2/messages: filters, paging, sorting, delete, project scope and expiry. */
class MessageApiTest extends InProcessGateway {
    private static final String ME = "mia:pm1";
    private UserMessage first;
    private UserMessage second;
    private UserMessage third;
    private UserMessage expired;
    private UserMessage foreign;

    @BeforeAll
    void rows() {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
        LocalDateTime later = now.plusDays(30);
        first = f.message("pm1", "share-a", "028", "032", "req-1", now.minusMinutes(3), later);
        second = f.message("pm1", "share-b", "028", "001", "req-2", now.minusMinutes(2), later);
        third = f.message("pm1", "share-a", "010", "002", "req-3", now.minusMinutes(1), later);
        expired = f.message("pm1", "share-a", "028", "032", "req-4", now.minusDays(31), now.minusDays(1));
        foreign = f.message("pm2", "share-z", "028", "032", "req-5", now, later);
    }

    private ApiClient.Call call(String method, String path) {
        return api.call(method, path).version("2.37").token(ME);
    }

    private List<String> ids(String query) {
        return ids(call("GET", "/v2/messages" + query));
    }

    private static List<String> ids(ApiClient.Call call) {
        ApiClient.Response r = call.send();
        assertEquals(200, r.status(), r.toString());
        List<String> ids = new ArrayList<>();
        r.json().path("messages").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    @Test
    void listsTheProjectsLiveMessagesNewestFirst() {
        assertEquals(List.of(third.id(), second.id(), first.id()), ids(""));
        assertEquals(List.of(first.id(), second.id(), third.id()), ids("?sort_dir=asc"));
        assertEquals(List.of(second.id(), third.id(), first.id()), ids("?sort_key=detail_id&sort_dir=asc"));
    }

    @Test
    void filtersByEveryField() {
        assertEquals(List.of(third.id(), first.id()), ids("?resource_id=share-a"));
        assertEquals(List.of(third.id()), ids("?action_id=010"));
        assertEquals(List.of(second.id()), ids("?detail_id=001"));
        assertEquals(List.of(first.id()), ids("?request_id=req-1"));
        assertEquals(3, ids("?message_level=ERROR&resource_type=SHARE").size());
        assertEquals(0, ids("?message_level=INFO").size());
        assertEquals(3, ids("?whatever=1").size(), "unknown parameters are ignored");
    }

    @Test
    void pagesAndRefusesBadPagingValues() {
        assertEquals(List.of(second.id()), ids("?limit=1&offset=1"));
        assertEquals(List.of(third.id(), second.id()), ids("?limit=2"));
        for (String query : new String[] {"?limit=x", "?offset=-2", "?sort_key=user_message", "?sort_dir=sideways"}) {
            ApiClient.Response r = call("GET", "/v2/messages" + query).send();
            assertEquals(400, r.status(), query);
            assertEquals("badRequest", r.fault());
        }
    }

    @Test
    void expiredMessagesAreNeitherListedNorShownAndArePurged() {
        assertTrue(!ids("").contains(expired.id()));
        ApiClient.Response shown = call("GET", "/v2/messages/" + expired.id()).send();
        assertEquals(404, shown.status());
        assertEquals("Message " + expired.id() + " could not be found.", shown.message());
        assertTrue(new RetentionPurger(f.repos(), Duration.ofDays(30)).purgeOnce().messages() >= 1);
        assertTrue(f.repos().database().read(c -> f.repos().messages().find(c, expired.id())).isEmpty());
        assertTrue(f.repos().database().read(c -> f.repos().messages().find(c, first.id())).isPresent());
    }

    @Test
    void adminsSeeEveryProjectOnlyWithAllTenants() {
        assertEquals(List.of(), ids(api.call("GET", "/v2/messages").version("2.37").token("admin:ops")));
        List<String> all = ids(api.call("GET", "/v2/messages?all_tenants=1").version("2.37").token("admin:ops"));
        assertTrue(all.contains(foreign.id()) && all.contains(first.id()), all.toString());
        assertTrue(!ids("?all_tenants=1").contains(foreign.id()), "non-admins: all_tenants is ignored");
        assertEquals(200, api.call("GET", "/v2/messages/" + foreign.id()).version("2.37").token("admin:ops").send()
                .status());
    }

    @Test
    void deleteRemovesAMessageOfTheCallersProject() {
        UserMessage doomed = f.message("pm1", "share-d", "028", "032", "req-d", LocalDateTime.now(ZoneOffset.UTC)
                .minusDays(1), LocalDateTime.now(ZoneOffset.UTC).plusDays(1));
        UserMessage elsewhere = f.message("pm2", "share-e", "028", "032", "req-e", LocalDateTime.now(ZoneOffset.UTC)
                .minusDays(1), LocalDateTime.now(ZoneOffset.UTC).plusDays(1));
        assertEquals(404, call("DELETE", "/v2/messages/" + elsewhere.id()).send().status());
        assertEquals(404, api.call("DELETE", "/v2/messages/" + doomed.id()).version("2.36").token(ME).send().status());
        ApiClient.Response deleted = call("DELETE", "/v2/messages/" + doomed.id()).send();
        assertEquals(204, deleted.status(), deleted.toString());
        assertEquals("", deleted.text());
        ApiClient.Response again = call("DELETE", "/v2/messages/" + doomed.id()).send();
        assertEquals(404, again.status());
        assertEquals("itemNotFound", again.fault());
        assertEquals(404, call("GET", "/v2/messages/" + doomed.id()).send().status());
        assertEquals(204, api.call("DELETE", "/v2/messages/" + elsewhere.id()).version("2.37").token("admin:ops")
                .send().status(), "admins may delete any project's message");
    }

    @Test
    void theMessageViewIsManilas() {
        JsonNode view = call("GET", "/v2/messages/" + first.id()).send().json().path("message");
        assertEquals("restore share backup: Cannot restore a given backup to a target share, not supported by share "
                + "driver.", view.path("user_message").asText());
        assertEquals("req-1", view.path("request_id").asText());
        assertTrue(view.path("expires_at").asText().length() > 0);
    }
}
