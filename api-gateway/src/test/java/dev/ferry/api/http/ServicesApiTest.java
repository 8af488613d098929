package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.ApiConfig;
import dev.ferry.api.ServiceSettings;
import dev.ferry.api.jobs.ServiceRegistry;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.messages.ServiceReport;
import dev.ferry.messages.ServiceReport.RestorePair;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v2/services} as Manila's os-services API, the refusals that the up data nodes' reports make
 * possible when a request arrives, and the shares' {@code progress}.
 */
class ServicesApiTest extends InProcessGateway {
    private static final String ADMIN = "admin:admin-project";
    private static final List<RestorePair> NFS_ONLY = List.of(new RestorePair("NFS", "NFS"));

    @Override
    protected ApiConfig config(ApiConfig noauth) {
        return noauth.withShareBaseExport("/exports/base");
    }

    private final List<String> reported = new ArrayList<>();

    /** Each test's nodes stop after it, so that they do not count for the next. */
    @AfterEach
    void stopReportedNodes() {
        for (String host : reported) {
            report(host, ServiceReport.State.STOPPING, false);
        }
        reported.clear();
    }

    private void report(String host, ServiceReport.State state, boolean toTarget) {
        if (!reported.contains(host)) {
            reported.add(host);
        }
        new ServiceRegistry(f.repos().database(), Clock.systemUTC(), ServiceSettings.DEFAULTS)
                .report(new ServiceReport(host, state, toTarget, NFS_ONLY));
    }

    private void silentSince(String host, LocalDateTime when) {
        f.repos().database().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE services SET updated_at = ? WHERE host = ?")) {
                ps.setObject(1, when);
                ps.setString(2, host);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private ApiClient.Response services(String version, String query) {
        return api.call("GET", "/v2/services" + query).version(version).token(ADMIN).send();
    }

    private static JsonNode only(ApiClient.Response r) {
        assertEquals(200, r.status(), r.toString());
        assertEquals(1, r.json().path("services").size(), r.toString());
        return r.json().path("services").get(0);
    }

    @Test
    void adminsSeeEachDataNodeAsManilaDataUpOrDown() {
        report("svc-up", ServiceReport.State.UP, true);
        report("svc-silent", ServiceReport.State.UP, true);
        silentSince("svc-silent", LocalDateTime.now(ZoneOffset.UTC).minusSeconds(61));
        report("svc-stopped", ServiceReport.State.UP, true);
        report("svc-stopped", ServiceReport.State.STOPPING, true);

        JsonNode up = only(services("2.7", "?host=svc-up"));
        assertTrue(up.path("id").isIntegralNumber(), up.toString());
        assertEquals("manila-data", up.path("binary").asText());
        assertEquals("svc-up", up.path("host").asText());
        assertEquals("nova", up.path("zone").asText());
        assertEquals("enabled", up.path("status").asText());
        assertEquals("up", up.path("state").asText());
        assertTrue(up.path("updated_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}"), up.toString());
        assertFalse(up.has("disabled_reason"), "from 2.83");
        assertEquals("down", only(services("2.7", "?host=svc-silent")).path("state").asText(), "silent for 61 s");
        assertEquals("down", only(services("2.7", "?host=svc-stopped")).path("state").asText(), "said it stops");

        JsonNode late = only(services("2.91", "?host=svc-up"));
        assertTrue(late.path("disabled_reason").isNull(), late.toString());
        assertFalse(late.path("ensuring").asBoolean(true), late.toString());
    }

    @Test
    void filtersMatchAsManilasDo() {
        report("svc-filter", ServiceReport.State.UP, true);
        only(services("2.7", "?host=svc-filter&binary=manila-data&zone=nova&state=up&status=enabled"));
        for (String miss : List.of("&binary=manila-share", "&zone=elsewhere", "&state=down", "&status=disabled",
                "&status=bogus")) {
            ApiClient.Response r = services("2.7", "?host=svc-filter" + miss);
            assertEquals(200, r.status(), r.toString());
            assertEquals(0, r.json().path("services").size(), miss + ": " + r);
        }
    }

    @Test
    void theUrlFollowsManilasMicroversions() {
        report("svc-versions", ServiceReport.State.UP, true);
        assertEquals(404, services("2.6", "").status(), "/services exists from 2.7");
        ApiClient.Response legacy = api.call("GET", "/v2/os-services?host=svc-versions").version("2.6").token(ADMIN)
                .send();
        assertEquals("svc-versions", only(legacy).path("host").asText());
        assertEquals(200, api.call("GET", "/v2/os-services").token(ADMIN).send().status(), "no header: 2.0");
        assertEquals(404, api.call("GET", "/v2/os-services").version("2.7").token(ADMIN).send().status());
        assertEquals(200, api.call("GET", "/v2/admin-project/services").version("2.7").token(ADMIN).send().status());
    }

    @Test
    void onlyAdminsMayListServices() {
        ApiClient.Response member = api.call("GET", "/v2/services").version("2.7").send();
        assertEquals(403, member.status(), member.toString());
        assertEquals("forbidden", member.fault());
    }

    @Test
    void aRestoreNoUpNodeCanDoIsRefusedWhenItArrivesAndQueuedWhenNoNodeIsUp() {
        Share nfs = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(nfs, 10, BackupStatus.AVAILABLE);
        Share cifs = f.share("p1", 10, ShareStatus.AVAILABLE, "CIFS", false);
        report("svc-nfs-only", ServiceReport.State.UP, true);
        try {
            ApiClient.Response refused = api.backups("POST", "/v2/share-backups/" + backup.id() + "/action")
                    .body("{\"restore\": \"" + cifs.id() + "\"}").send();
            assertEquals(400, refused.status(), refused.toString());
            assertEquals("badRequest", refused.fault());
            assertEquals("No data node can restore an NFS backup into a CIFS share: the up data nodes restore "
                    + "NFS→NFS only. Restore into an NFS share.", refused.message());
            assertEquals(ShareStatus.AVAILABLE, f.share(cifs.id()).status(), "nothing changed");
            assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());

            ApiClient.Response inPlace = api.backups("POST", "/v2/share-backups/" + backup.id() + "/action")
                    .body("{\"restore\": null}").send();
            assertEquals(202, inPlace.status(), "what the node can do is accepted: " + inPlace);
        } finally {
            report("svc-nfs-only", ServiceReport.State.STOPPING, true);
        }
        Share cifs2 = f.share("p1", 10, ShareStatus.AVAILABLE, "CIFS", false);
        Backup other = f.backup(nfs, 10, BackupStatus.AVAILABLE);
        ApiClient.Response queued = api.backups("POST", "/v2/share-backups/" + other.id() + "/action")
                .body("{\"restore\": \"" + cifs2.id() + "\"}").send();
        assertEquals(202, queued.status(), "no node up: queued, the node that claims it checks: " + queued);
    }

    @Test
    void aShareFromABackupIsRefusedWhenNoUpNodeRestoresToATarget() {
        Share nfs = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(nfs, 10, BackupStatus.AVAILABLE);
        report("svc-no-target", ServiceReport.State.UP, false);
        String body = "{\"share\": {\"share_proto\": \"NFS\", \"backup_id\": \"" + backup.id() + "\"}}";
        try {
            ApiClient.Response refused = api.call("POST", "/v2/shares").version("2.91").body(body).send();
            assertEquals(400, refused.status(), refused.toString());
            assertTrue(refused.message().startsWith("No data node can restore an NFS backup into an NFS share other "
                    + "than the backup's own share"), refused.message());
            assertTrue(refused.message().contains("Restore the backup into its own share " + nfs.id()),
                    refused.message());
        } finally {
            report("svc-no-target", ServiceReport.State.STOPPING, false);
        }
        ApiClient.Response created = api.call("POST", "/v2/shares").version("2.91").body(body).send();
        assertEquals(200, created.status(), "no node up: accepted as Manila's create answers: " + created);
        assertEquals("0%", created.json().path("share").path("progress").asText(), "creating, no report yet");
    }

    @Test
    void sharesShowManilasProgressFrom254() {
        Share available = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share creating = f.subdirShare("p1", 10, ShareStatus.CREATING);
        JsonNode shown = api.call("GET", "/v2/shares/" + available.id()).version("2.54").send().json().path("share");
        assertEquals("100%", shown.path("progress").asText());
        assertEquals("0%", api.call("GET", "/v2/shares/" + creating.id()).version("2.54").send().json()
                .path("share").path("progress").asText());
        assertFalse(api.call("GET", "/v2/shares/" + available.id()).version("2.53").send().json().path("share")
                .has("progress"), "before 2.54");
    }
}
