package dev.ferry.data;

import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.UndecodableMessageException;
import dev.ferry.messages.amqp.ReplyLostException;
import dev.ferry.messages.amqp.RpcClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Claims a job from the api-gateway with an oslo call on {@code ferry-state}. */
final class ClaimClient {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimClient.class);
    private static final int LOST_REPLY_RETRIES = 3;
    private final RpcClient rpc;
    private final Duration timeout;

    ClaimClient(RpcClient rpc, Duration timeout) {
        this.rpc = rpc;
        this.timeout = timeout;
    }

    /** The grant; throws {@link ClaimRefusedException} when the job is not this node's to run. */
    StateRpc.Grant claim(StateRpc.Claim claim, RequestContext context)
            throws ClaimRefusedException, IOException, TimeoutException {
        for (int attempt = 1; ; attempt++) {
            try {
                return StateRpc.Grant.fromJson(rpc.call(StateRpc.TOPIC, claim.toRequest(context), timeout));
            } catch (ReplyLostException e) {
                // The claim may have been granted: asking again gets the same grant (or a refusal).
                if (attempt == LOST_REPLY_RETRIES) {
                    throw e;
                }
                LOG.warn("the reply to the claim of {} was lost in a reconnect; claiming again", describe(claim));
            } catch (RpcFailureException e) {
                if (StateRpc.CLAIM_REFUSED.equals(e.failure().className())) {
                    throw new ClaimRefusedException(e.failure().message());
                }
                throw new IOException("the api-gateway could not handle the claim: " + e.getMessage(), e);
            } catch (UndecodableMessageException e) {
                throw new IOException("the api-gateway's grant is unreadable: " + e.getMessage(), e);
            }
        }
    }

    /** The claimed job for the logs: {@code restore_backup of backup b1}, or {@code delete_share of share s1}. */
    static String describe(StateRpc.Claim claim) {
        return claim.kind().wireName() + (claim.backup() == null ? " of share " + claim.shareId()
                : " of backup " + claim.backupId());
    }

    static final class ClaimRefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        ClaimRefusedException(String reason) {
            super(reason);
        }
    }
}
