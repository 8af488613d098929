package dev.ferry.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.messages.RemoteFailure;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StatusRpc;
import dev.ferry.messages.UndecodableMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers oslo callers whose call on {@code manila-data} a data node refused. The node may not publish to the
 * default exchange, where oslo replies travel, so it forwards the refusal as a {@link StatusRpc#REFUSED_CALL}
 * that names the caller's reply queue and message id; answering it with the failure (the RPC server replies to
 * that queue with this gateway's broker user) gives the caller exactly the reply oslo's server would have sent.
 */
final class CallerReplies {
    private static final Logger LOG = LoggerFactory.getLogger(CallerReplies.class);

    /** Always fails: the failure is the caller's reply. */
    JsonNode answer(RpcRequest forwarded) throws RpcFailureException {
        RemoteFailure failure;
        try {
            failure = StatusRpc.refusedCallFailure(forwarded);
        } catch (UndecodableMessageException e) {
            LOG.warn("dropping a {} that names no caller: {}", StatusRpc.REFUSED_CALL, e.getMessage());
            return null;
        }
        LOG.info("replying {} to the oslo caller on {} (its call was refused by data node {})", failure.className(),
                forwarded.replyQueue(), forwarded.context() == null ? "?" : forwarded.context().userId());
        throw new RpcFailureException(failure);
    }
}
