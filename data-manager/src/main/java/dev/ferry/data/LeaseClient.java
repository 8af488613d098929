package dev.ferry.data;

import dev.ferry.messages.StateRpc.Hold;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** The api-gateway's lease calls on a running job: {@code renew_lease} and {@code release_job}. */
interface LeaseClient {
    /** Extends the hold; returns the lease length granted, in seconds (0 when the reply does not say). */
    int renew(Hold hold, String requestId, Duration timeout) throws LeaseLostException, IOException, TimeoutException;

    /**
     * Announces that the job is about to write into its target, and waits until the api-gateway recorded it;
     * {@code LeaseLost} when the job is no longer this node's (then nothing may be written).
     */
    void beginWriting(Hold hold, String requestId, Duration timeout)
            throws LeaseLostException, IOException, TimeoutException;

    /** Gives the job back: it is queued again at a new epoch and re-dispatched to another node. */
    void release(Hold hold, String reason, String requestId, Duration timeout)
            throws LeaseLostException, IOException, TimeoutException;
}
