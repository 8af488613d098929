package dev.ferry.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.messages.FailureReasons;
import dev.ferry.messages.Json;
import dev.ferry.messages.RemoteFailure;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.RpcVersion;
import dev.ferry.messages.ServiceReport;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.UndecodableMessageException;
import dev.ferry.messages.amqp.RpcServer;

/**
 * Serves the {@code ferry-state} topic: {@code claim_job}, {@code renew_lease}, {@code release_job} and
 * {@code report_service} calls from data nodes. A database failure propagates as a runtime exception, so the RPC server returns
 * the request to the queue and pauses instead of answering it wrongly.
 */
public final class StateRpcHandler implements RpcServer.Handler {
    private final ClaimService claims;
    private final LeaseService leases;
    private final ServiceRegistry services;

    /** Without a service registry: data nodes' reports are answered as an unknown method. */
    public StateRpcHandler(ClaimService claims, LeaseService leases) {
        this(claims, leases, null);
    }

    public StateRpcHandler(ClaimService claims, LeaseService leases, ServiceRegistry services) {
        this.claims = claims;
        this.leases = leases;
        this.services = services;
    }

    @Override
    public JsonNode handle(RpcRequest request) throws RpcFailureException {
        if (!RpcVersion.compatible(StateRpc.VERSION, request.version())) {
            throw new RpcFailureException(RemoteFailure.unsupportedVersion(request.version(), request.method()));
        }
        return switch (request.method()) {
            case StateRpc.CLAIM_JOB -> claim(request);
            case StateRpc.RENEW_LEASE -> Json.object().put("lease_seconds", leases.renew(hold(request)));
            case StateRpc.BEGIN_WRITING -> {
                leases.beginWriting(hold(request));
                yield Json.object();
            }
            case StateRpc.RELEASE_JOB -> {
                leases.release(hold(request), FailureReasons.bound(Json.text(request.args(), "reason")));
                yield Json.object();
            }
            case StateRpc.REPORT_SERVICE -> reportService(request);
            default -> throw new RpcFailureException(RemoteFailure.noSuchMethod(request.method()));
        };
    }

    private JsonNode reportService(RpcRequest request) throws RpcFailureException {
        if (services == null) {
            throw new RpcFailureException(RemoteFailure.noSuchMethod(request.method()));
        }
        try {
            return services.report(ServiceReport.fromArgs(request.args()));
        } catch (UndecodableMessageException e) {
            throw new RpcFailureException(RemoteFailure.typeError(request.method() + "(): " + e.getMessage()));
        }
    }

    private JsonNode claim(RpcRequest request) throws RpcFailureException {
        StateRpc.Claim claim;
        try {
            claim = StateRpc.Claim.fromArgs(request.args());
        } catch (UndecodableMessageException e) {
            throw new RpcFailureException(RemoteFailure.typeError("claim_job(): " + e.getMessage()));
        }
        if (claim.node() == null || claim.node().isBlank()) {
            throw new RpcFailureException(RemoteFailure.typeError("claim_job() argument 'node' is missing"));
        }
        // the claim carries the context of the cast it claims: it decides whether a cast without a job may run
        return (request.context() == null ? claims.claim(claim, request.requestId())
                : claims.claim(claim, request.context())).toJson();
    }

    private static StateRpc.Hold hold(RpcRequest request) throws RpcFailureException {
        StateRpc.Hold hold;
        try {
            hold = StateRpc.Hold.fromArgs(request.args());
        } catch (UndecodableMessageException e) {
            throw new RpcFailureException(RemoteFailure.typeError(request.method() + "(): " + e.getMessage()));
        }
        if (hold.node() == null || hold.node().isBlank()) {
            throw new RpcFailureException(RemoteFailure.typeError(request.method()
                    + "() argument 'node' is missing: name the node that holds the job"));
        }
        return hold;
    }
}
