package dev.ferry.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FerryRpcTest {
    private static final RequestContext CONTEXT = RequestContext.service("node-1", "req-1");
    private static final BackupRow BACKUP = new BackupRow("b1", "u", "p", "s1", 2, null, "manila-data", null, null,
            "100", "0", "available", null, null, null, null, null);

    @Test
    void claimAndGrantRoundTrip() throws Exception {
        StateRpc.Claim claim = new StateRpc.Claim(JobKind.RESTORE, BACKUP, "s2", "node-1");
        RpcRequest decoded = RpcRequest.decode("application/json", claim.toRequest(CONTEXT).toBytes());
        assertEquals(claim, StateRpc.Claim.fromArgs(decoded.args()));

        StateRpc.Grant grant = new StateRpc.Grant("j1", 3, JobKind.RESTORE, BACKUP,
                new ShareInfo("s1", "p", "NFS", 2, "/exports/a"), new ShareInfo("s2", "p", "NFS", 4, "/exports/b"), 30);
        assertEquals(grant, StateRpc.Grant.fromJson(Json.parse(Json.pythonStyle(grant.toJson()))));
    }

    @Test
    void shareJobsClaimAndAreGrantedWithoutABackup() throws Exception {
        StateRpc.Claim claim = new StateRpc.Claim(JobKind.DELETE_SHARE, null, "s2", "node-1");
        RpcRequest decoded = RpcRequest.decode("application/json", claim.toRequest(CONTEXT).toBytes());
        assertEquals(claim, StateRpc.Claim.fromArgs(decoded.args()));
        StateRpc.Grant grant = new StateRpc.Grant("j1", 1, JobKind.SHRINK_SHARE, null, null,
                new ShareInfo("s2", "p", "NFS", 1, "/exports/base/s2"), 30);
        assertEquals(grant, StateRpc.Grant.fromJson(Json.parse(Json.pythonStyle(grant.toJson()))));
    }

    @Test
    void leaseHoldsRoundTrip() throws Exception {
        StateRpc.Hold hold = new StateRpc.Hold("j1", 4, "node-2");
        RpcRequest renew = RpcRequest.decode("application/json", hold.renewRequest(CONTEXT).toBytes());
        assertEquals(StateRpc.RENEW_LEASE, renew.method());
        assertEquals(hold, StateRpc.Hold.fromArgs(renew.args()));
        RpcRequest release = RpcRequest.decode("application/json", hold.releaseRequest("draining", CONTEXT).toBytes());
        assertEquals(StateRpc.RELEASE_JOB, release.method());
        assertEquals("draining", release.args().get("reason").asText());
        assertEquals(hold, StateRpc.Hold.fromArgs(release.args()));
    }

    @Test
    void transitionsRoundTrip() throws Exception {
        for (StatusRpc.Transition t : List.of(
                StatusRpc.Transition.progress("j1", 2, "n", 42),
                StatusRpc.Transition.succeeded("j1", 2, "n"),
                StatusRpc.Transition.failed("j1", 2, "n", FailureDetail.PROTOCOL_PAIR_UNSUPPORTED, "CIFS", false))) {
            RpcRequest decoded = RpcRequest.decode("application/json", t.toRequest(CONTEXT).toBytes());
            assertEquals(t, StatusRpc.Transition.fromArgs(decoded.args()));
        }
    }

    @Test
    void grantSecretsAndClaimTokensTravelButNeverShowInToString() throws Exception {
        String secret = "s3cr3t-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-";
        StateRpc.Claim claim = new StateRpc.Claim(JobKind.RESTORE, BACKUP, "s2", "node-1").withToken("t0k3n-xyz");
        assertEquals(claim, StateRpc.Claim.fromArgs(RpcRequest.decode("application/json",
                claim.toRequest(CONTEXT).toBytes()).args()));
        StateRpc.Grant grant = new StateRpc.Grant("j1", 3, JobKind.RESTORE, BACKUP, null,
                new ShareInfo("s2", "p", "NFS", 4, "/exports/b"), 30).withSecret(secret);
        StateRpc.Grant decoded = StateRpc.Grant.fromJson(Json.parse(Json.pythonStyle(grant.toJson())));
        assertEquals(secret, decoded.secret());
        StateRpc.Hold hold = new StateRpc.Hold("j1", 3, "node-1", secret);
        assertEquals(hold, StateRpc.Hold.fromArgs(RpcRequest.decode("application/json",
                hold.renewRequest(CONTEXT).toBytes()).args()));
        StatusRpc.Transition t = StatusRpc.Transition.succeeded("j1", 3, "node-1").withSecret(secret);
        assertEquals(t, StatusRpc.Transition.fromArgs(RpcRequest.decode("application/json",
                t.toRequest(CONTEXT).toBytes()).args()));
        for (Object shown : java.util.List.of(claim, grant, hold, t)) {
            assertFalse(shown.toString().contains(secret) || shown.toString().contains("t0k3n"), shown.toString());
            assertTrue(shown.toString().contains("<redacted>"), shown.toString());
        }
        assertNull(StatusRpc.Transition.fromArgs(RpcRequest.decode("application/json",
                StatusRpc.Transition.succeeded("j1", 3, "n").toRequest(CONTEXT).toBytes()).args()).secret(),
                "a 1.0 transition has no secret");
    }

    @Test
    void aRefusalCanAskTheNodeToParkTheCast() {
        assertTrue(StateRpc.asksToPark(RemoteFailure.parse(StateRpc.refusedToPark("no").toJsonString())));
        assertEquals(StateRpc.CLAIM_REFUSED, StateRpc.refusedToPark("no").className());
        assertFalse(StateRpc.asksToPark(RemoteFailure.parse(StateRpc.refused("dup").toJsonString())));
    }

    @Test
    void failureDetailsKeepManilasIds() {
        assertEquals("032", FailureDetail.TARGETED_RESTORE_UNSUPPORTED.id());
        assertEquals(FailureDetail.UNKNOWN_ERROR, FailureDetail.fromId("nope"));
    }

    @Test
    void aRefusedCallIsForwardedAsACallToTheOriginalCallersReplyQueue() throws Exception {
        RemoteFailure failure = RemoteFailure.unsupportedVersion("1.2", "restore_backup");

        RpcRequest forwarded = RpcRequest.decode("application/json",
                StatusRpc.refusedCall("reply_abc", "msg-1", failure, CONTEXT).toBytes());

        assertEquals(StatusRpc.REFUSED_CALL, forwarded.method());
        assertEquals("reply_abc", forwarded.replyQueue());
        assertEquals("msg-1", forwarded.msgId());
        assertEquals(failure.className(), StatusRpc.refusedCallFailure(forwarded).className());
        assertEquals(failure.message(), StatusRpc.refusedCallFailure(forwarded).message());
    }
}
