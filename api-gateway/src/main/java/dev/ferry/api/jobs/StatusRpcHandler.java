package dev.ferry.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.messages.RemoteFailure;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.RpcVersion;
import dev.ferry.messages.StatusRpc;
import dev.ferry.messages.UndecodableMessageException;
import dev.ferry.messages.amqp.RpcServer;

/**
 * Serves the {@code ferry-status} topic: {@code job_transition} casts from data nodes, and the calls on
 * {@code manila-data} their dispatchers refused ({@link CallerReplies}).
 */
public final class StatusRpcHandler implements RpcServer.Handler {
    private final TransitionApplier applier;
    private final CallerReplies callers = new CallerReplies();

    public StatusRpcHandler(TransitionApplier applier) {
        this.applier = applier;
    }

    @Override
    public JsonNode handle(RpcRequest request) throws RpcFailureException {
        if (!RpcVersion.compatible(StatusRpc.VERSION, request.version())) {
            throw new RpcFailureException(RemoteFailure.unsupportedVersion(request.version(), request.method()));
        }
        if (StatusRpc.REFUSED_CALL.equals(request.method())) {
            return callers.answer(request);
        }
        if (!StatusRpc.JOB_TRANSITION.equals(request.method())) {
            throw new RpcFailureException(RemoteFailure.noSuchMethod(request.method()));
        }
        try {
            applier.apply(StatusRpc.Transition.fromArgs(request.args()));
            return null;
        } catch (UndecodableMessageException e) {
            throw new RpcFailureException(RemoteFailure.typeError("job_transition(): " + e.getMessage()));
        }
    }
}
