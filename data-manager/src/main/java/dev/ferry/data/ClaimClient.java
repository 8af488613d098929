package dev.ferry.data;

import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.UndecodableMessageException;
import dev.ferry.messages.amqp.ReplyLostException;
import dev.ferry.messages.amqp.RpcClient;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims a job from the api-gateway with an oslo call on {@code ferry-state}, in the context of the cast it
 * claims (which decides whether a cast Ferry's API did not send may run). Each claim carries a random token,
 * the same when it is sent again after a lost reply, so that only this claim can get that grant again. The
 * grant's secret is for this node's lease calls and transitions; it is never logged.
 */
final class ClaimClient {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimClient.class);
    private static final int LOST_REPLY_RETRIES = 3;
    private final RpcClient rpc;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();

    ClaimClient(RpcClient rpc, Duration timeout) {
        this.rpc = rpc;
        this.timeout = timeout;
    }

    /**
     * The grant; throws {@link ClaimRefusedException} when the job is not this node's to run (and says whether
     * the cast is to be parked).
     */
    StateRpc.Grant claim(StateRpc.Claim claim, RequestContext context)
            throws ClaimRefusedException, IOException, TimeoutException {
        StateRpc.Claim withToken = claim.withToken(newToken());
        for (int attempt = 1; ; attempt++) {
            try {
                return StateRpc.Grant.fromJson(rpc.call(StateRpc.TOPIC, withToken.toRequest(context), timeout));
            } catch (ReplyLostException e) {
                // The claim may have been granted: asking again gets the same grant (or a refusal).
                if (attempt == LOST_REPLY_RETRIES) {
                    throw e;
                }
                LOG.warn("the reply to the claim of {} was lost in a reconnect; claiming again", describe(claim));
            } catch (RpcFailureException e) {
                if (StateRpc.CLAIM_REFUSED.equals(e.failure().className())) {
                    throw new ClaimRefusedException(e.failure().message(), StateRpc.asksToPark(e.failure()));
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

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static final class ClaimRefusedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean park;

        ClaimRefusedException(String reason, boolean park) {
            super(reason);
            this.park = park;
        }

        /** True when the cast must never run (its context may not do what it asks): park it, do not drop it. */
        boolean park() {
            return park;
        }
    }
}
