package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Manila §1.5 "List": filters, sorting, paging and links of GET /v2/share-backups[/detail]. */
class BackupListApiTest extends InProcessGateway {
    private static final String ME = "lee:pl1";
    private Share share;
    private Share other;
    private Backup alphaOne;
    private Backup beta;
    private Backup alphaTwo;
    private Backup broken;
    private Backup foreign;

    @BeforeAll
    void rows() {
        LocalDateTime t0 = LocalDateTime.now(ZoneOffset.UTC).withNano(0).minusHours(1);
        share = f.share("pl1", 50, ShareStatus.AVAILABLE);
        other = f.share("pl1", 50, ShareStatus.AVAILABLE);
        alphaOne = f.backup(share, "Alpha one", "nightly 100% full", 5, BackupStatus.AVAILABLE, t0);
        beta = f.backup(share, "beta", "weekly", 1, BackupStatus.AVAILABLE, t0.plusMinutes(1));
        alphaTwo = f.backup(other, "ALPHA two", null, 9, BackupStatus.AVAILABLE, t0.plusMinutes(2));
        broken = f.backup(other, null, "nightly", 3, BackupStatus.ERROR, t0.plusMinutes(3));
        foreign = f.backup(f.share("pl2", 5, ShareStatus.AVAILABLE), "Alpha one", "x", 5, BackupStatus.AVAILABLE, t0);
    }

    private JsonNode list(String query) {
        ApiClient.Response r = api.backups("GET", "/v2/share-backups/detail" + query).token(ME).send();
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    private List<String> ids(String query) {
        List<String> ids = new ArrayList<>();
        list(query).path("share_backups").forEach(b -> ids.add(b.path("id").asText()));
        return ids;
    }

    private ApiClient.Response bad(String query) {
        ApiClient.Response r = api.backups("GET", "/v2/share-backups" + query).token(ME).send();
        assertEquals(400, r.status(), r.toString());
        assertEquals("badRequest", r.fault());
        return r;
    }

    @Test
    void newestFirstByDefaultAndOnlyTheCallersProject() {
        assertEquals(List.of(broken.id(), alphaTwo.id(), beta.id(), alphaOne.id()), ids(""));
        assertEquals(List.of(alphaOne.id(), beta.id(), alphaTwo.id(), broken.id()), ids("?sort_dir=asc"));
    }

    @Test
    void filtersByExactValuesAndByCaseInsensitiveSubstrings() {
        assertEquals(List.of(alphaOne.id()), ids("?name=Alpha%20one"));
        assertEquals(List.of(), ids("?name=alpha%20one"), "name is an exact match");
        assertEquals(List.of(alphaTwo.id(), alphaOne.id()), ids("?name~=alpha"));
        assertEquals(List.of(broken.id(), alphaOne.id()), ids("?description~=NIGHTLY"));
        assertEquals(List.of(alphaOne.id()), ids("?description~=100%25"), "% matches itself");
        assertEquals(List.of(), ids("?description~=_"), "_ matches itself");
        assertEquals(List.of(beta.id()), ids("?description=weekly"));
        assertEquals(List.of(broken.id()), ids("?status=error"));
        assertEquals(List.of(broken.id(), alphaTwo.id()), ids("?share_id=" + other.id()));
        assertEquals(List.of(alphaTwo.id()), ids("?share_id=" + other.id() + "&name~=two&status=available"));
        assertEquals(4, ids("?unknown=1&foo~=bar").size(), "unknown query parameters are ignored");
    }

    @Test
    void shareIdMustBeAVisibleShare() {
        assertEquals("No share exists with ID nope.", bad("?share_id=nope").message());
        Share hidden = f.share("pl9", 1, ShareStatus.AVAILABLE);
        assertEquals("No share exists with ID " + hidden.id() + ".", bad("?share_id=" + hidden.id()).message());
    }

    @Test
    void hostIdAndAllTenantsAreForAdminsOnly() {
        assertEquals(4, ids("?id=" + beta.id()).size(), "non-admins: id is ignored");
        assertEquals(4, ids("?host=elsewhere").size(), "non-admins: host is ignored");
        assertFalse(ids("?all_tenants=1").contains(foreign.id()));
        JsonNode byId = api.backups("GET", "/v2/share-backups?all_tenants=1&id=" + foreign.id()).token("admin:ops")
                .send().json().path("share_backups");
        assertEquals(1, byId.size());
        assertEquals(foreign.id(), byId.get(0).path("id").asText());
        assertEquals(0, api.backups("GET", "/v2/share-backups?all_projects=true&host=elsewhere").token("admin:ops")
                .send().json().path("share_backups").size());
        JsonNode detail = api.backups("GET", "/v2/share-backups/detail?all_tenants=1&name=Alpha%20one")
                .token("admin:ops").send().json().path("share_backups");
        assertEquals(2, detail.size());
        assertEquals("data-node-1", detail.get(0).path("host").asText(), "admins see host");
    }

    @Test
    void sortsByEveryAllowedKeyAndRefusesOthers() {
        assertEquals(List.of(beta.id(), broken.id(), alphaOne.id(), alphaTwo.id()), ids("?sort_key=size&sort_dir=asc"));
        assertEquals(List.of(broken.id(), alphaTwo.id(), alphaOne.id(), beta.id()), ids("?sort_key=name&sort_dir=asc"),
                "a missing name sorts as empty");
        assertEquals(List.of(beta.id(), alphaOne.id(), broken.id(), alphaTwo.id()), ids("?sort_key=description"));
        for (String key : List.of("id", "status", "share_id", "created_at", "updated_at", "progress",
                "restore_progress")) {
            assertEquals(4, ids("?sort_key=" + key).size(), key);
        }
        assertEquals("Invalid sort_key 'host': use one of id, name, description, status, size, share_id, created_at, "
                + "updated_at, progress, restore_progress.", bad("?sort_key=host").message());
        assertEquals("Unknown sort direction, must be 'desc' or 'asc'", bad("?sort_dir=up").message());
    }

    @Test
    void limitAndOffsetPageAndTheNextLinkCarriesTheMarker() {
        assertEquals(List.of(alphaTwo.id(), beta.id()), ids("?limit=2&offset=1"));
        JsonNode first = list("?limit=3&sort_key=size");
        assertEquals(3, first.path("share_backups").size());
        JsonNode link = first.path("share_backup_links").get(0);
        assertEquals("next", link.path("rel").asText());
        String href = link.path("href").asText();
        assertTrue(href.startsWith("http://127.0.0.1:"), href);
        assertTrue(href.contains("/v2/share-backups/detail?"), href);
        assertTrue(href.contains("limit=3"), href);
        assertTrue(href.endsWith("marker=" + first.path("share_backups").get(2).path("id").asText()), href);
        JsonNode second = api.backups("GET", href.substring(href.indexOf("/v2/"))).token(ME).send().json();
        assertEquals(1, second.path("share_backups").size());
        assertFalse(second.has("share_backup_links"), "no link on the last page");
        assertFalse(list("?limit=4").has("share_backup_links"), "a full page with nothing after it has no link");

        Set<String> seen = new HashSet<>();
        String next = "/v2/share-backups?limit=1&sort_key=name&sort_dir=asc";
        int pages = 0;
        while (next != null) {
            JsonNode page = api.backups("GET", next).token(ME).send().json();
            page.path("share_backups").forEach(b -> assertTrue(seen.add(b.path("id").asText()), "seen twice"));
            JsonNode links = page.path("share_backup_links");
            next = links.isMissingNode() ? null : links.get(0).path("href").asText().replaceFirst("^http://[^/]+", "");
            pages++;
        }
        assertEquals(4, seen.size());
        assertEquals(4, pages);
        assertEquals(0, list("?limit=0").path("share_backups").size());
        assertEquals(0, list("?offset=10").path("share_backups").size());
    }

    @Test
    void badPagingValuesAre400() {
        assertEquals("Invalid 'limit' value '-1': use a non-negative integer.", bad("?limit=-1").message());
        assertEquals("Invalid 'offset' value 'abc': use a non-negative integer.", bad("?offset=abc").message());
        bad("?limit=99999999999");
        assertTrue(bad("?marker=" + foreign.id()).message().startsWith("Marker " + foreign.id() + " not found"));
    }

    @Test
    void summaryViewHasFourFields() {
        JsonNode item = api.backups("GET", "/v2/share-backups?limit=1").token(ME).send().json().path("share_backups")
                .get(0);
        List<String> names = new ArrayList<>();
        item.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("id", "name", "share_id", "status"), names);
    }
}
