package dev.ferry.data;

import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.UndecodableMessageException;
import dev.ferry.messages.amqp.RpcClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Claims a job from the api-gateway with an oslo call on {@code ferry-state}. */
final class ClaimClient {
    private final RpcClient rpc;
    private final Duration timeout;

    ClaimClient(RpcClient rpc, Duration timeout) {
        this.rpc = rpc;
        this.timeout = timeout;
    }

    /** The grant; throws {@link ClaimRefusedException} when the job is not this node's to run. */
    StateRpc.Grant claim(StateRpc.Claim claim, RequestContext context)
            throws ClaimRefusedException, IOException, TimeoutException {
        try {
            return StateRpc.Grant.fromJson(rpc.call(StateRpc.TOPIC, claim.toRequest(context), timeout));
        } catch (RpcFailureException e) {
            if (StateRpc.CLAIM_REFUSED.equals(e.failure().className())) {
                throw new ClaimRefusedException(e.failure().message());
            }
            throw new IOException("the api-gateway could not handle the claim: " + e.getMessage(), e);
        } catch (UndecodableMessageException e) {
            throw new IOException("the api-gateway's grant is unreadable: " + e.getMessage(), e);
        }
    }

    static final class ClaimRefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        ClaimRefusedException(String reason) {
            super(reason);
        }
    }
}
