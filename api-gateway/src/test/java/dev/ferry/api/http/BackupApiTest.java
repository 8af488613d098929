package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.OutboxMessage;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.RpcRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupApiTest extends InProcessGateway {

    private ApiClient.Response create(String body) {
        return api.backups("POST", "/v2/share-backups").body(body).send();
    }

    @Test
    void creatingABackupAnswers202AndQueuesTheCastAndTheJob() throws Exception {
        Share share = f.share("p1", 7, ShareStatus.AVAILABLE);
        ApiClient.Response r = create("{\"share_backup\": {\"share_id\": \"" + share.id() + "\", \"name\": \"nightly\","
                + " \"description\": \"before upgrade\", \"backup_options\": {}}}");
        assertEquals(202, r.status(), r.toString());
        JsonNode view = r.json().path("share_backup");
        String id = view.path("id").asText();
        assertEquals("creating", view.path("status").asText());
        assertEquals("nightly", view.path("name").asText());
        assertEquals(share.id(), view.path("share_id").asText());
        assertEquals(7, view.path("size").asInt());
        assertEquals("0", view.path("progress").asText());
        assertTrue(view.path("progress").isTextual(), "progress is a string, as in Manila");
        assertEquals("0", view.path("restore_progress").asText());
        assertFalse(view.has("host"), "host and topic are for admins");
        assertEquals(ShareStatus.BACKUP_CREATING, f.share(share.id()).status());

        String requestId = r.header("X-OpenStack-Request-Id");
        List<OutboxMessage> casts = f.repos().database().read(c -> f.repos().outbox().forRequest(c, requestId));
        assertEquals(1, casts.size());
        assertEquals("manila-data", casts.get(0).routingKey());
        assertEquals("openstack", casts.get(0).exchange());
        RpcRequest cast = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, casts.get(0).body());
        DataRpc.CreateBackup parsed = assertInstanceOf(DataRpc.CreateBackup.class, DataRpc.parse(cast));
        assertEquals(id, parsed.backup().id());
        assertEquals(share.id(), parsed.shareId());
        assertEquals("alice", cast.context().userId());
        assertEquals(requestId, cast.requestId());

        List<Job> jobs = f.repos().database().read(c -> f.repos().jobs().forBackup(c, JobKind.CREATE_BACKUP, id));
        assertEquals(1, jobs.size());
        assertEquals(JobStatus.QUEUED, jobs.get(0).status());
        assertEquals(0, jobs.get(0).epoch());
        assertEquals(share.id(), jobs.get(0).shareId());
    }

    @Test
    void creationChecksRunInManilasOrder() {
        Share busy = f.share("p1", 1, ShareStatus.BACKUP_CREATING);
        Share cifs = f.share("p1", 1, ShareStatus.AVAILABLE, "CIFS", false);
        Share ok = f.share("p1", 1, ShareStatus.AVAILABLE);
        Share foreign = f.share("p2", 1, ShareStatus.AVAILABLE);

        ApiClient.Response noBody = create("{\"backup\": {}}");
        assertEquals(422, noBody.status());
        assertEquals("computeFault", noBody.fault());
        assertEquals("Body does not contain 'share_backup' information.", noBody.message());
        assertEquals(400, create("{not json").status());
        assertEquals("'share_id' is missing from the request body.", create("{\"share_backup\": {}}").message());
        assertEquals("No share exists with ID nope.", create("{\"share_backup\": {\"share_id\": \"nope\"}}").message());
        assertEquals("No share exists with ID " + foreign.id() + ".",
                create("{\"share_backup\": {\"share_id\": \"" + foreign.id() + "\"}}").message());
        assertEquals("Share " + busy.id() + " is in 'backup_creating' state, but it must be in 'available' state to "
                + "create a backup.", create("{\"share_backup\": {\"share_id\": \"" + busy.id() + "\"}}").message());
        assertEquals("Cannot backup share " + cifs.id() + ". The generic approach for share backups only supports the "
                + "following protocols: ['NFS'].",
                create("{\"share_backup\": {\"share_id\": \"" + cifs.id() + "\"}}").message());
        ApiClient.Response option = create("{\"share_backup\": {\"share_id\": \"" + ok.id()
                + "\", \"backup_options\": {\"dummy\": true}}}");
        assertEquals(400, option.status());
        assertTrue(option.message().contains("'dummy'"), option.message());
        assertEquals(ShareStatus.AVAILABLE, f.share(ok.id()).status(), "a refused request changes nothing");
    }

    @Test
    void backupsOfAnotherProjectAreNotFound() {
        Share share = f.share("p2", 3, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 3, BackupStatus.AVAILABLE);
        ApiClient.Response r = api.backups("GET", "/v2/share-backups/" + backup.id()).send();
        assertEquals(404, r.status());
        assertEquals("No backup exists with ID " + backup.id() + ".", r.message());
        JsonNode list = api.backups("GET", "/v2/share-backups?all_tenants=1").send().json().path("share_backups");
        for (JsonNode item : list) {
            assertFalse(item.path("id").asText().equals(backup.id()), "all_tenants is ignored for non-admins");
        }
    }

    @Test
    void adminsSeeHostAndTopicAndEveryProjectWithAllTenants() {
        Share share = f.share("p5", 3, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 3, BackupStatus.AVAILABLE);
        JsonNode view = api.backups("GET", "/v2/share-backups/" + backup.id()).token("admin:ops").send().json()
                .path("share_backup");
        assertEquals("data-node-1", view.path("host").asText());
        assertEquals("manila-data", view.path("topic").asText());
        JsonNode all = api.backups("GET", "/v2/share-backups/detail?all_tenants=1").token("admin:ops").send().json()
                .path("share_backups");
        boolean found = false;
        for (JsonNode item : all) {
            found |= item.path("id").asText().equals(backup.id());
        }
        assertTrue(found);
        JsonNode own = api.backups("GET", "/v2/share-backups").token("admin:ops").send().json().path("share_backups");
        assertEquals(0, own.size(), "without all_tenants an admin lists its own project");
    }

    @Test
    void listsAndDetailFollowTheMicroversion() {
        Share share = f.share("p6", 3, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 3, BackupStatus.AVAILABLE);
        JsonNode summary = api.backups("GET", "/v2/share-backups").token("dave:p6").send().json()
                .path("share_backups").get(0);
        assertEquals(List.of("id", "name", "share_id", "status"), fieldNames(summary));
        JsonNode at280 = api.call("GET", "/v2/share-backups/" + backup.id()).token("dave:p6").version("2.80")
                .experimental().send().json().path("share_backup");
        assertFalse(at280.has("backup_type"));
        assertTrue(at280.has("restore_progress"));
        JsonNode at285 = api.call("GET", "/v2/share-backups/" + backup.id()).token("dave:p6").version("2.85")
                .experimental().send().json().path("share_backup");
        assertTrue(at285.has("backup_type"));
        JsonNode byShare = api.backups("GET", "/v2/share-backups/detail?share_id=" + share.id() + "&status=available")
                .token("dave:p6").send().json().path("share_backups");
        assertEquals(1, byShare.size());
        ApiClient.Response unknownShare = api.backups("GET", "/v2/share-backups?share_id=nope").token("dave:p6").send();
        assertEquals(400, unknownShare.status());
        assertEquals("No share exists with ID nope.", unknownShare.message());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
