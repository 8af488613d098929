package dev.ferry.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StateRpc.Hold;
import dev.ferry.messages.amqp.RpcClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** {@link LeaseClient} as oslo calls on {@code ferry-state}. */
final class RpcLeaseClient implements LeaseClient {
    private final RpcClient rpc;
    private final String node;

    RpcLeaseClient(RpcClient rpc, String node) {
        this.rpc = rpc;
        this.node = node;
    }

    @Override
    public int renew(Hold hold, String requestId, Duration timeout)
            throws LeaseLostException, IOException, TimeoutException {
        JsonNode result = call(hold.renewRequest(RequestContext.service(node, requestId)), timeout);
        return result == null ? 0 : result.path("lease_seconds").asInt(0);
    }

    @Override
    public void beginWriting(Hold hold, String requestId, Duration timeout)
            throws LeaseLostException, IOException, TimeoutException {
        call(hold.beginWritingRequest(RequestContext.service(node, requestId)), timeout);
    }

    @Override
    public void release(Hold hold, String reason, String requestId, Duration timeout)
            throws LeaseLostException, IOException, TimeoutException {
        call(hold.releaseRequest(reason, RequestContext.service(node, requestId)), timeout);
    }

    private JsonNode call(RpcRequest request, Duration timeout)
            throws LeaseLostException, IOException, TimeoutException {
        try {
            return rpc.call(StateRpc.TOPIC, request, timeout);
        } catch (RpcFailureException e) {
            if (StateRpc.LEASE_LOST.equals(e.failure().className())) {
                throw new LeaseLostException(e.failure().message(), StateRpc.endedByApi(e.failure()));
            }
            throw new IOException("the api-gateway could not handle " + request.method() + ": " + e.getMessage(), e);
        }
    }
}
