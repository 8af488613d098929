package dev.ferry.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The raw captures of real oslo.messaging peers (shared/reference/oslo-capture.json) as test vectors. */
class OsloCaptureTest {

    private static List<JsonNode> captures() throws IOException {
        try (InputStream in = OsloCaptureTest.class.getResourceAsStream("/oslo-capture.json")) {
            List<JsonNode> list = new ArrayList<>();
            Json.mapper().readTree(in).forEach(list::add);
            return list;
        }
    }

    private static byte[] raw(JsonNode capture) {
        return capture.get("body_raw").asText().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyCaptureDecodesAndReencodesByteForByte() throws Exception {
        List<JsonNode> captures = captures();
        assertEquals(14, captures.size());
        for (JsonNode capture : captures) {
            ObjectNode inner = OsloEnvelope.unwrap("application/json", raw(capture));
            JsonNode uniqueId = capture.at("/body_decoded/oslo.message/_unique_id");
            assertEquals(uniqueId.isMissingNode() ? null : uniqueId.asText(), Json.text(inner, "_unique_id"));
            assertArrayEquals(raw(capture), OsloEnvelope.wrap(inner),
                    "re-encoding must give oslo's exact bytes for " + capture.at("/routing_keys/0"));
        }
    }

    @Test
    void restoreBackupCastParsesWithManilasArgumentsAndContext() throws Exception {
        JsonNode capture = captures().get(1);
        RpcRequest request = RpcRequest.decode("application/json", raw(capture));
        assertEquals("restore_backup", request.method());
        assertEquals("1.1", request.version());
        assertEquals("req-34fb9e9c-ee9c-4de0-acad-869aab8cfcb4", request.context().requestId());
        assertEquals("9c1e4a2b7f3d4e5a8b6c0d1e2f3a4b5c", request.context().projectId());
        assertEquals(List.of("member", "reader"), request.context().roles());
        DataRpc.RestoreBackup restore = assertInstanceOf(DataRpc.RestoreBackup.class, DataRpc.parse(request));
        assertEquals("0c7a3f4e-5d1b-4c2a-9e8f-1a2b3c4d5e6f", restore.backup().id());
        assertEquals("sauvegarde été", restore.backup().displayDescription());
        assertEquals("5b2e8d90-3f4a-4c6b-8d7e-9f0a1b2c3d4e", restore.shareId());
    }

    @Test
    void ferrysRestoreCastMatchesOslosFieldsAndBytes() throws Exception {
        JsonNode capture = captures().get(1);
        ObjectNode captured = OsloEnvelope.unwrap("application/json", raw(capture));
        RpcRequest theirs = RpcRequest.fromInner(captured);
        BackupRow backup = BackupRow.fromOslo(captured.at("/args/backup"));
        RpcRequest ours = DataRpc.restoreBackup(backup, "5b2e8d90-3f4a-4c6b-8d7e-9f0a1b2c3d4e", theirs.context());
        ObjectNode inner = ours.toInner();
        List<String> ourKeys = new ArrayList<>();
        inner.fieldNames().forEachRemaining(ourKeys::add);
        List<String> theirKeys = new ArrayList<>();
        captured.fieldNames().forEachRemaining(theirKeys::add);
        assertEquals(theirKeys, ourKeys, "same fields in oslo's order");
        assertEquals(captured.get("args").toString(), inner.get("args").toString());
        assertEquals(captured.get("version"), inner.get("version"));
        // Replace what is meant to differ (fresh id, token not forwarded) and compare the bytes.
        inner.put("_unique_id", Json.text(captured, "_unique_id"));
        inner.put("_context_auth_token", Json.text(captured, "_context_auth_token"));
        inner.put("_context_is_admin_project", true);
        assertArrayEquals(raw(capture), OsloEnvelope.wrap(inner));
    }

    @Test
    void manilasDeleteBackupCastParses() throws Exception {
        RpcRequest request = RpcRequest.decode("application/json", raw(captures().get(2)));
        DataRpc.DeleteBackup delete = assertInstanceOf(DataRpc.DeleteBackup.class, DataRpc.parse(request));
        assertEquals("0c7a3f4e-5d1b-4c2a-9e8f-1a2b3c4d5e6f", delete.backup().id());
    }

    @Test
    void failureReplyRebuildsManilasException() throws Exception {
        RpcReply reply = RpcReply.decode("application/json", raw(captures().get(6)));
        assertTrue(reply.ending());
        assertNotNull(reply.failure());
        assertEquals("InvalidShare", reply.failure().className());
        assertEquals("manila.exception", reply.failure().module());
        assertEquals(400, reply.failure().kwargs().get("code").asInt());
    }

    @Test
    void heartbeatRepliesAreNotEndings() throws Exception {
        RpcReply heartbeat = RpcReply.decode("application/json", raw(captures().get(8)));
        assertEquals(false, heartbeat.ending());
        assertNull(heartbeat.failure());
    }

    @Test
    void minimalCastWithoutVersionOrContextIsReadAsVersionOne() throws Exception {
        RpcRequest minimal = RpcRequest.decode("application/json", raw(captures().get(11)));
        assertEquals("1.0", minimal.version());
        assertInstanceOf(DataRpc.RestoreBackup.class, DataRpc.parse(minimal));
        assertTrue(minimal.context().requestId().startsWith("req-"), "a request id is made up when none came");
    }

    @Test
    void callCarriesReplyQueueAndMessageId() throws Exception {
        RpcRequest call = RpcRequest.decode("application/json", raw(captures().get(3)));
        assertTrue(call.isCall());
        assertEquals("reply_0513493cf282421991b4efa523f4b628", call.replyQueue());
        assertEquals("f9f6cb9c8d4a4e04b917ac1d3b740ebc", call.msgId());
    }
}
