package dev.ferry.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fields issue 11 added to the grant (restore_selection, attempt) and to transitions (counters). */
class RestoreWireTest {
    private static final RequestContext CONTEXT = RequestContext.service("node-1", "req-1");
    private static final BackupRow BACKUP = new BackupRow("b1", "u", "p", "s1", 2, null, "manila-data", null, null,
            "100", "0", "available", null, null, null, null, null);
    private static final ShareInfo TARGET = new ShareInfo("s2", "p", "NFS", 4, "/exports/b");

    @Test
    void aGrantCarriesTheSelectionAndTheAttempt() throws Exception {
        RestoreScope scope = new RestoreScope(List.of("docs", "a b/c.txt"), "if-changed", true);
        StateRpc.Grant grant = new StateRpc.Grant("j1", 3, JobKind.RESTORE, BACKUP, null, TARGET, 30)
                .withSecret("s3cr3t").withRestoreSelection(scope).withAttempt(2);
        String wire = Json.pythonStyle(grant.toJson());
        StateRpc.Grant decoded = StateRpc.Grant.fromJson(Json.parse(wire));
        assertEquals(grant, decoded);
        assertEquals(scope, decoded.restoreSelection());
        assertEquals(2, decoded.attempt());
        assertTrue(decoded.resumed());
        assertEquals("if-changed", Json.parse(wire).path("restore_selection").path("overwrite").asText());
        assertEquals(2, Json.parse(wire).path("attempt").asInt());
    }

    @Test
    void aGrantWithoutTheNewFieldsIsAWholeRestoreFirstAttempt() throws Exception {
        StateRpc.Grant grant = new StateRpc.Grant("j1", 3, JobKind.RESTORE, BACKUP, null, TARGET, 30);
        var json = grant.toJson();
        json.remove("restore_selection");
        json.remove("attempt");
        StateRpc.Grant decoded = StateRpc.Grant.fromJson(json);
        assertNull(decoded.restoreSelection());
        assertEquals(1, decoded.attempt());
        assertFalse(decoded.resumed());
    }

    @Test
    void transitionsCarryCountersAndSuccessNotices() throws Exception {
        CopyCounters counters = new CopyCounters(10, 5, 4096, 2048, 1, 2);
        for (StatusRpc.Transition t : List.of(
                StatusRpc.Transition.succeeded("j1", 2, "n").withCounters(counters)
                        .withNotice(FailureDetail.METADATA_DROPPED, "2 dropped, the first: a (user.x)"),
                StatusRpc.Transition.failed("j1", 2, "n", FailureDetail.DAMAGED_FILES, "1 damaged", true)
                        .withCounters(counters).withSecret("s"))) {
            RpcRequest decoded = RpcRequest.decode("application/json", t.toRequest(CONTEXT).toBytes());
            assertEquals(t, StatusRpc.Transition.fromArgs(decoded.args()));
            assertEquals(4096, decoded.args().path("counters").path("bytes_copied").asLong());
            assertEquals(5, decoded.args().path("counters").path("files_skipped").asLong());
        }
        RpcRequest without = RpcRequest.decode("application/json",
                StatusRpc.Transition.succeeded("j1", 2, "n").toRequest(CONTEXT).toBytes());
        assertFalse(without.args().has("counters"));
        assertNull(StatusRpc.Transition.fromArgs(without.args()).counters());
    }

    @Test
    void badCountersAreUndecodable() throws Exception {
        assertThrows(UndecodableMessageException.class,
                () -> CopyCounters.fromJson(Json.parse("{\"files_copied\": -1}")));
        assertThrows(UndecodableMessageException.class,
                () -> CopyCounters.fromJson(Json.parse("{\"files_copied\": \"many\"}")));
        assertThrows(UndecodableMessageException.class, () -> CopyCounters.fromJson(Json.parse("[1]")));
    }

    @Test
    void aScopeKeepsItsJsonTextAndRefusesUnknownPolicies() throws Exception {
        RestoreScope scope = new RestoreScope(List.of("x/y"), "never", false);
        assertEquals(scope, RestoreScope.fromJsonText(scope.toJsonText()));
        assertNull(RestoreScope.fromJsonText(null));
        assertThrows(IllegalArgumentException.class, () -> new RestoreScope(List.of(), "sometimes", false));
        assertThrows(UndecodableMessageException.class,
                () -> RestoreScope.fromJson(Json.parse("{\"paths\": [], \"overwrite\": \"sometimes\"}")));
    }
}
