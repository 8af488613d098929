package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import org.junit.jupiter.api.Test;

/** Manila §1.5 "Update" and "Reset status". */
class BackupChangesApiTest extends InProcessGateway {

    private ApiClient.Response put(Backup backup, String body) {
        return api.backups("PUT", "/v2/share-backups/" + backup.id()).token("una:pu1").body(body).send();
    }

    private ApiClient.Response action(String id, String token, String body) {
        return api.backups("POST", "/v2/share-backups/" + id + "/action").token(token).body(body).send();
    }

    private Backup backup(BackupStatus status) {
        return f.backup(f.share("pu1", 2, ShareStatus.AVAILABLE), 2, status);
    }

    @Test
    void updateSetsNameAndDescriptionAndAnswersTheDetailView() {
        Backup backup = backup(BackupStatus.CREATING);
        ApiClient.Response r = put(backup, "{\"share_backup\": {\"name\": \"renamed\", \"display_name\": \"x\", "
                + "\"status\": \"error\"}}");
        assertEquals(200, r.status(), r.toString());
        JsonNode view = r.json().path("share_backup");
        assertEquals("renamed", view.path("name").asText());
        assertEquals("a backup", view.path("description").asText(), "an absent field is kept");
        assertEquals("creating", view.path("status").asText(), "other keys are ignored; any status is accepted");
        assertTrue(view.has("restore_progress"));
        assertEquals("renamed", f.backup(backup.id()).name());

        JsonNode cleared = put(backup, "{\"share_backup\": {\"description\": null}}").json().path("share_backup");
        assertTrue(cleared.path("description").isNull());
        assertEquals("renamed", cleared.path("name").asText());
        assertEquals("renamed", api.backups("GET", "/v2/share-backups/" + backup.id()).token("una:pu1").send().json()
                .path("share_backup").path("name").asText());
    }

    @Test
    void updateRefusesBadBodiesAndUnknownBackups() {
        Backup backup = backup(BackupStatus.AVAILABLE);
        for (String body : new String[] {"{}", "{\"share_backup\": []}", "{\"share_backup\": \"x\"}", "[1]", "7"}) {
            ApiClient.Response r = put(backup, body);
            assertEquals(422, r.status(), body);
            assertEquals("computeFault", r.fault());
            assertEquals("Body does not contain 'share_backup' information.", r.message());
        }
        assertEquals("'name' must be a string.", put(backup, "{\"share_backup\": {\"name\": 7}}").message());
        ApiClient.Response tooLong = put(backup, "{\"share_backup\": {\"name\": \"" + "n".repeat(256) + "\"}}");
        assertEquals(400, tooLong.status());
        assertEquals("'name' is 256 characters long; it may have at most 255. Shorten it and retry.",
                tooLong.message());
        assertEquals(200, put(backup, "{\"share_backup\": {\"name\": \"" + "n".repeat(255) + "\"}}").status());
        assertEquals(400, put(backup, "{\"share_backup\": {\"name\": ").status());
        ApiClient.Response unknown = api.backups("PUT", "/v2/share-backups/nope").token("una:pu1")
                .body("{\"share_backup\": {}}").send();
        assertEquals(404, unknown.status());
        assertEquals("No backup exists with ID nope.", unknown.message());
        assertEquals(404, api.backups("PUT", "/v2/share-backups/" + backup.id()).token("eve:pu2")
                .body("{\"share_backup\": {\"name\": \"mine\"}}").send().status());
        assertEquals(404, api.call("PUT", "/v2/share-backups/" + backup.id()).version("2.79").token("una:pu1")
                .body("{\"share_backup\": {}}").send().status());
        assertEquals("n".repeat(255), f.backup(backup.id()).name());
    }

    @Test
    void resetStatusIsForAdminsAndChangesOnlyTheStatus() {
        Backup backup = backup(BackupStatus.CREATING);
        ApiClient.Response member = action(backup.id(), "una:pu1", "{\"reset_status\": {\"status\": \"error\"}}");
        assertEquals(403, member.status());
        assertEquals("forbidden", member.fault());
        assertEquals(BackupStatus.CREATING, f.backup(backup.id()).status());

        ApiClient.Response admin = action(backup.id(), "admin:ops", "{\"reset_status\": {\"status\": \"error\"}}");
        assertEquals(202, admin.status(), admin.toString());
        assertEquals("", admin.text());
        assertEquals(BackupStatus.ERROR, f.backup(backup.id()).status());
        assertEquals(202, action(backup.id(), "admin:ops", "{\"reset_status\": {\"status\": \"available\"}}").status());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());

        assertEquals("Must specify 'status'", action(backup.id(), "admin:ops", "{\"reset_status\": {}}").message());
        String valid = "Invalid state. Valid states: creating, available, deleting, error, error_deleting.";
        for (String status : new String[] {"\"restoring\"", "\"migrating\"", "\"bogus\"", "5"}) {
            ApiClient.Response r = action(backup.id(), "admin:ops", "{\"reset_status\": {\"status\": " + status + "}}");
            assertEquals(400, r.status(), status);
            assertEquals(valid, r.message());
        }
        assertEquals(404, action("nope", "admin:ops", "{\"reset_status\": {\"status\": \"error\"}}").status());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
    }

    @Test
    void actionBodiesNeedExactlyOneKnownKey() {
        Backup backup = backup(BackupStatus.AVAILABLE);
        assertEquals("Malformed request body", action(backup.id(), "una:pu1", "{}").message());
        assertEquals("Malformed request body", action(backup.id(), "una:pu1",
                "{\"restore\": null, \"reset_status\": {\"status\": \"error\"}}").message());
        assertEquals("There is no such action: explode", action(backup.id(), "una:pu1", "{\"explode\": 1}").message());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
    }

    @Test
    void creatingBeyondTheQuotaIs413OverLimit() {
        for (int i = 0; i < 10; i++) {
            f.backup(f.share("pq1", 1, ShareStatus.AVAILABLE), 1, BackupStatus.AVAILABLE);
        }
        Share share = f.share("pq1", 1, ShareStatus.AVAILABLE);
        ApiClient.Response r = api.backups("POST", "/v2/share-backups").token("quinn:pq1")
                .body("{\"share_backup\": {\"share_id\": \"" + share.id() + "\"}}").send();
        assertEquals(413, r.status(), r.toString());
        assertEquals("overLimit", r.fault());
        assertEquals("0", r.json().path("overLimit").path("retryAfter").asText());
        assertTrue(r.message().startsWith("BackupLimitExceeded: Maximum number of backups allowed (10) exceeded."), r.message());
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status(), "a refused create changes nothing");
    }
}
