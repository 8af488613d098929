package dev.ferry.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.messages.RemoteFailure;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.RpcVersion;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.UndecodableMessageException;
import dev.ferry.messages.amqp.RpcServer;

/** Serves the {@code ferry-state} topic: {@code claim_job} calls from data nodes. */
public final class StateRpcHandler implements RpcServer.Handler {
    private final ClaimService claims;

    public StateRpcHandler(ClaimService claims) {
        this.claims = claims;
    }

    @Override
    public JsonNode handle(RpcRequest request) throws RpcFailureException {
        if (!RpcVersion.compatible(StateRpc.VERSION, request.version())) {
            throw new RpcFailureException(RemoteFailure.unsupportedVersion(request.version(), request.method()));
        }
        if (!StateRpc.CLAIM_JOB.equals(request.method())) {
            throw new RpcFailureException(RemoteFailure.noSuchMethod(request.method()));
        }
        StateRpc.Claim claim;
        try {
            claim = StateRpc.Claim.fromArgs(request.args());
        } catch (UndecodableMessageException e) {
            throw new RpcFailureException(RemoteFailure.typeError("claim_job(): " + e.getMessage()));
        }
        if (claim.node() == null || claim.node().isBlank()) {
            throw new RpcFailureException(RemoteFailure.typeError("claim_job() argument 'node' is missing"));
        }
        return claims.claim(claim, request.requestId()).toJson();
    }
}
