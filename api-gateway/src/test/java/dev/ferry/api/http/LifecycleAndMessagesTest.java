package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.jobs.ClaimService;
import dev.ferry.api.jobs.TransitionApplier;
import dev.ferry.api.model.OutboxMessage;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc.Transition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A backup's life through the API, with the data node's side played by the claim and transition
 * services on the same database: create, back up, restore into a target the driver cannot serve, and
 * read the user message that explains it.
 */
class LifecycleAndMessagesTest extends InProcessGateway {

    private String manage(String name, int size) {
        return api.call("POST", "/v2/shares/manage").token("admin:ops").body("{\"share\": {\"protocol\": \"NFS\", "
                + "\"export_path\": \"nfs:/" + name + "\", \"name\": \"" + name + "\", \"size\": " + size
                + ", \"project_id\": \"p1\"}}").send().json().path("share").path("id").asText();
    }

    /** What a data node does with the newest cast of a request: decode, claim, report. */
    private StateRpc.Grant claimCastOf(ApiClient.Response accepted) throws Exception {
        String requestId = accepted.header("X-OpenStack-Request-Id");
        List<OutboxMessage> casts = f.repos().database().read(c -> f.repos().outbox().forRequest(c, requestId));
        RpcRequest cast = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, casts.get(0).body());
        DataRpc.DataCast parsed = DataRpc.parse(cast);
        JobKind kind = parsed instanceof DataRpc.RestoreBackup ? JobKind.RESTORE : JobKind.CREATE_BACKUP;
        return new ClaimService(f.repos(), 30).claim(new StateRpc.Claim(kind, parsed.backup(), parsed.shareId(),
                "node-a"), cast.requestId());
    }

    @Test
    void aBackupIsMadeThenAnUnsupportedTargetedRestoreLeavesAUserMessage() throws Exception {
        String source = manage("src", 10);
        String target = manage("dst", 10);
        TransitionApplier applier = new TransitionApplier(f.repos());

        ApiClient.Response created = api.backups("POST", "/v2/share-backups")
                .body("{\"share_backup\": {\"share_id\": \"" + source + "\", \"name\": \"b1\"}}").send();
        String backupId = created.json().path("share_backup").path("id").asText();
        StateRpc.Grant backing = claimCastOf(created);
        applier.apply(Transition.progress(backing.jobId(), backing.epoch(), "node-a", 60).withSecret(backing.secret()));
        assertEquals("60", api.backups("GET", "/v2/share-backups/" + backupId).send().json().path("share_backup")
                .path("progress").asText());
        applier.apply(Transition.succeeded(backing.jobId(), backing.epoch(), "node-a").withSecret(backing.secret()));
        JsonNode backup = api.backups("GET", "/v2/share-backups/" + backupId).send().json().path("share_backup");
        assertEquals("available", backup.path("status").asText());
        assertEquals("100", backup.path("progress").asText());
        assertEquals("available", api.call("GET", "/v2/shares/" + source).send().json().path("share")
                .path("status").asText());

        ApiClient.Response restore = api.backups("POST", "/v2/share-backups/" + backupId + "/action")
                .body("{\"restore\": \"" + target + "\"}").send();
        assertEquals(202, restore.status(), restore.toString());
        StateRpc.Grant restoring = claimCastOf(restore);
        assertEquals(target, restoring.target().id());
        assertEquals(source, restoring.source().id());
        assertEquals("backup_restoring", api.call("GET", "/v2/shares/" + target).version("2.80").send().json()
                .path("share").path("status").asText());
        applier.apply(Transition.failed(restoring.jobId(), restoring.epoch(), "node-a",
                FailureDetail.TARGETED_RESTORE_UNSUPPORTED, "the NFS driver cannot restore to a target", false).withSecret(restoring.secret()));

        JsonNode share = api.call("GET", "/v2/shares/" + target).version("2.80").send().json().path("share");
        assertEquals("available", share.path("status").asText(), "an untouched target is left usable");
        assertTrue(share.path("source_backup_id").isNull(),
                "nothing was written: the target keeps the source backup it had (none): " + share);
        assertEquals("available", api.backups("GET", "/v2/share-backups/" + backupId).send().json()
                .path("share_backup").path("status").asText());

        JsonNode messages = api.call("GET", "/v2/messages?resource_id=" + target).version("2.37").send().json()
                .path("messages");
        assertEquals(1, messages.size(), messages.toString());
        JsonNode message = messages.get(0);
        assertEquals("restore share backup: Cannot restore a given backup to a target share, not supported by share "
                + "driver.", message.path("user_message").asText());
        assertEquals("028", message.path("action_id").asText());
        assertEquals("032", message.path("detail_id").asText());
        assertEquals("SHARE", message.path("resource_type").asText());
        assertEquals("ERROR", message.path("message_level").asText());
        assertEquals("p1", message.path("project_id").asText());
        assertEquals(restore.header("X-OpenStack-Request-Id"), message.path("request_id").asText());

        String id = message.path("id").asText();
        assertEquals(id, api.call("GET", "/v2/messages/" + id).version("2.37").send().json().path("message")
                .path("id").asText());
        assertEquals(404, api.call("GET", "/v2/messages").version("2.36").send().status());
        ApiClient.Response foreign = api.call("GET", "/v2/messages/" + id).version("2.37").token("bob:p2").send();
        assertEquals(404, foreign.status());
        assertEquals("Message " + id + " could not be found.", foreign.message());
        assertEquals(0, api.call("GET", "/v2/messages").version("2.37").token("bob:p2").send().json()
                .path("messages").size());
        assertEquals(0, api.call("GET", "/v2/messages?action_id=900").version("2.37").send().json()
                .path("messages").size());
    }
}
