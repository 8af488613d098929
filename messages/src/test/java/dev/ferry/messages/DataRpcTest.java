package dev.ferry.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataRpcTest {
    private static final RequestContext CONTEXT = RequestContext.of("alice", "p1", false, List.of("member", "reader"));
    private static final BackupRow BACKUP = new BackupRow("b1", "alice", "p1", "s1", 1, null, "manila-data",
            "nightly", "été", "0", "0", "available", null, null, null, "2026-11-24T12:00:00.000000",
            "2026-11-24T12:00:00.000000");

    private static RpcRequest roundTrip(RpcRequest request) throws Exception {
        return RpcRequest.decode("application/json", request.toBytes());
    }

    @Test
    void restoreRoundTripsThroughTheEnvelope() throws Exception {
        RpcRequest decoded = roundTrip(DataRpc.restoreBackup(BACKUP, "s2", CONTEXT));
        DataRpc.RestoreBackup restore = (DataRpc.RestoreBackup) DataRpc.parse(decoded);
        assertEquals(BACKUP, restore.backup());
        assertEquals("s2", restore.shareId());
        assertEquals(CONTEXT.requestId(), decoded.requestId());
        assertFalse(decoded.isCall());
    }

    @Test
    void aCastCarriesTheGlobalRequestIdOfTheRequestThatCausedIt() throws Exception {
        String global = "req-3f1c2b9e-52a1-4c8e-9a51-0d6c1b7e2f44";
        RpcRequest decoded = roundTrip(DataRpc.restoreBackup(BACKUP, "s2", CONTEXT.withGlobalRequestId(global)));
        assertEquals(global, decoded.context().globalRequestId());
        assertEquals(CONTEXT.requestId(), decoded.requestId());
    }

    @Test
    void aGlobalRequestIdNotOfTheReqUuidFormIsDropped() throws Exception {
        assertEquals(null, CONTEXT.withGlobalRequestId("evil\"id\nreq-1").globalRequestId());
        ObjectNode cast = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).toBytes());
        String tampered = cast.get("oslo.message").asText()
                .replace("\"_context_global_request_id\": null", "\"_context_global_request_id\": \"x; DROP\"")
                .replace("\"_context_global_request_id\":null", "\"_context_global_request_id\":\"x; DROP\"");
        assertTrue(tampered.contains("x; DROP"), tampered);
        cast.put("oslo.message", tampered);
        RpcRequest decoded = RpcRequest.decode("application/json",
                cast.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(null, decoded.context().globalRequestId());
    }

    @Test
    void nonAsciiIsEscapedOnTheWire() {
        String body = new String(DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).toBytes(), StandardCharsets.UTF_8);
        assertTrue(body.contains("\\\\u00e9t\\\\u00e9"), body);
        assertTrue(body.chars().allMatch(c -> c < 128));
    }

    @Test
    void createBackupCarriesEmptyBackupOptionsInsideTheRow() throws Exception {
        RpcRequest request = DataRpc.createBackup(BACKUP, CONTEXT);
        assertTrue(request.args().get("backup").get("backup_options").isObject());
        DataRpc.CreateBackup create = (DataRpc.CreateBackup) DataRpc.parse(roundTrip(request));
        assertEquals("s1", create.shareId());
    }

    @Test
    void deleteBackupMatchesTheCapturedOsloCast() throws Exception {
        RpcRequest decoded = roundTrip(DataRpc.deleteBackup(BACKUP, CONTEXT));
        assertEquals("delete_backup", decoded.method());
        assertEquals("1.1", decoded.version());
        DataRpc.DeleteBackup delete = (DataRpc.DeleteBackup) DataRpc.parse(decoded);
        assertEquals(BACKUP, delete.backup());
    }

    @Test
    void ferrysShareMethodsRoundTrip() throws Exception {
        assertEquals(new DataRpc.CreateShare("s9", BACKUP),
                DataRpc.parse(roundTrip(DataRpc.createShare("s9", BACKUP, CONTEXT))));
        assertEquals(new DataRpc.CreateShare("s9", null),
                DataRpc.parse(roundTrip(DataRpc.createShare("s9", null, CONTEXT))));
        assertEquals(new DataRpc.DeleteShare("s9"), DataRpc.parse(roundTrip(DataRpc.deleteShare("s9", CONTEXT))));
        assertEquals(new DataRpc.ShrinkShare("s9", 3), DataRpc.parse(roundTrip(DataRpc.shrinkShare("s9", 3, CONTEXT))));
    }

    @Test
    void shrinkShareNeedsAPositiveWholeSize() throws Exception {
        RpcRequest request = roundTrip(DataRpc.shrinkShare("s9", 3, CONTEXT));
        request.args().put("new_size", 0);
        RpcFailureException e = assertThrows(RpcFailureException.class, () -> DataRpc.parse(request));
        assertEquals("TypeError", e.failure().className());
        request.args().put("new_size", "big");
        assertThrows(RpcFailureException.class, () -> DataRpc.parse(request));
    }

    @Test
    void newerMinorVersionIsRefusedAsOsloDoes() throws Exception {
        ObjectNode inner = DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).toInner();
        inner.put("version", "1.2");
        RpcFailureException e = assertThrows(RpcFailureException.class,
                () -> DataRpc.parse(RpcRequest.fromInner(inner)));
        assertEquals("UnsupportedVersion", e.failure().className());
        assertEquals("Endpoint does not support RPC version 1.2. Attempted method: restore_backup",
                e.failure().message());
    }

    @Test
    void extraOrMissingArgumentsAreTypeErrors() throws Exception {
        ObjectNode extra = DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).toInner();
        ((ObjectNode) extra.get("args")).put("bogus", 1);
        RpcFailureException e = assertThrows(RpcFailureException.class,
                () -> DataRpc.parse(RpcRequest.fromInner(extra)));
        assertEquals("TypeError", e.failure().className());
        assertTrue(e.failure().message().contains("'bogus'"));

        ObjectNode missing = DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).toInner();
        ((ObjectNode) missing.get("args")).remove("share_id");
        e = assertThrows(RpcFailureException.class, () -> DataRpc.parse(RpcRequest.fromInner(missing)));
        assertTrue(e.failure().message().contains("'share_id'"));
    }

    @Test
    void unknownMethodIsNoSuchMethod() throws Exception {
        RpcRequest request = RpcRequest.cast("migration_start", Json.object(), "1.0", CONTEXT);
        assertEquals("NoSuchMethod", assertThrows(RpcFailureException.class,
                () -> DataRpc.parse(request)).failure().className());
    }

    @Test
    void wrongContentTypeOrEnvelopeVersionIsUndecodable() {
        byte[] body = DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).toBytes();
        assertThrows(UndecodableMessageException.class, () -> RpcRequest.decode("text/plain", body));
        assertThrows(UndecodableMessageException.class,
                () -> RpcRequest.decode("application/json; charset=utf-8", body));
        byte[] future = "{\"oslo.version\": \"2.1\", \"oslo.message\": \"{}\"}".getBytes(StandardCharsets.UTF_8);
        assertThrows(UndecodableMessageException.class, () -> RpcRequest.decode("application/json", future));
        assertThrows(UndecodableMessageException.class,
                () -> RpcRequest.decode("application/json", "not json".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void versionRule() {
        assertTrue(RpcVersion.compatible("1.1", "1.0"));
        assertTrue(RpcVersion.compatible("1.1", "1.1"));
        assertTrue(RpcVersion.compatible("1.1", "1"));
        assertFalse(RpcVersion.compatible("1.1", "1.2"));
        assertFalse(RpcVersion.compatible("1.1", "2.0"));
        assertFalse(RpcVersion.compatible("1.1", "x"));
    }
}
