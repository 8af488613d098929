package dev.ferry.data;

import dev.ferry.messages.DataRpc;
import dev.ferry.messages.Parking;
import dev.ferry.messages.RemoteFailure;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.StateRpc;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What a job slot does with one message from {@code manila-data}, between receiving it and settling it: triage
 * ({@link DeliveryTriage}), claim the job from the api-gateway, ack, run the job ({@link JobRunner}), and decide
 * the message's fate. A cast is acked only once its claim is recorded (then its job runs, and no delivery stays
 * unacked for hours); acked unrun (dropped) when the claim is refused; parked with the reason when it must never
 * run, cannot be read, or is a call oslo's dispatcher refuses (whose caller is sent the failure first); returned
 * to the queue when its claim got no answer (parked at {@code FERRY_MAX_DELIVERIES}). A message whose parked copy
 * cannot be published goes back to the queue. Sees no AMQP client type: {@link JobSlot}, the shell around it,
 * converts the delivery and settles it as told ({@link Settlement}).
 */
final class CastHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CastHandler.class);

    /** What may be done with the message being handled; the slot does it on the broker. */
    interface Settlement {
        /** Acks the message (it leaves the queue); false when the ack failed (the broker delivers it again). */
        boolean ack();

        /** Returns the message to the queue (basic.nack with requeue). */
        void requeue();

        /** Publishes a parked copy of the message saying why (confirmed); the handler acks the original after. */
        void park(String reason) throws IOException;
    }

    /** Claims a job from the api-gateway ({@link ClaimClient}). */
    interface Claims {
        StateRpc.Grant claim(StateRpc.Claim claim, RequestContext context)
                throws ClaimClient.ClaimRefusedException, IOException, TimeoutException;
    }

    /** Runs a claimed job to its end ({@link JobRunner#run}). */
    interface Runner {
        void run(StateRpc.Grant grant);
    }

    /** Has an api-gateway send oslo's failure reply to a refused call's caller ({@link FailureReply}). */
    interface Replies {
        void send(String replyQueue, String msgId, RemoteFailure failure) throws IOException;
    }

    private final String slot;
    private final String node;
    private final DeliveryTriage triage;
    private final Claims claims;
    private final Runner runner;
    private final Replies replies;
    private final RunningJobs running;
    private final Duration retryAfter;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * @param slot       the slot's name, for the logs
     * @param retryAfter how long to wait after returning a message to the queue (its claim got no answer, or it
     *                   could not be parked) before taking the next one; {@link #stop} ends that wait
     */
    CastHandler(String slot, String node, DeliveryTriage triage, Claims claims, Runner runner, Replies replies,
                RunningJobs running, Duration retryAfter) {
        this.slot = slot;
        this.node = node;
        this.triage = triage;
        this.claims = claims;
        this.runner = runner;
        this.replies = replies;
        this.running = running;
        this.retryAfter = retryAfter;
    }

    /** Handles one message to its end: settled, and its job run when it was claimed. */
    void handle(ReceivedMessage message, Settlement delivery) {
        DeliveryTriage.Verdict verdict = triage.triage(message.contentType(), message.body(), message.headers());
        if (verdict instanceof DeliveryTriage.Process process) {
            MDC.put("request_id", process.request().requestId());
            String global = process.request().context().globalRequestId();
            if (global != null) {
                MDC.put("global_request_id", global);
            }
            if (process.cast().backup() != null) {
                MDC.put("backup_id", process.cast().backup().id());
            }
            if (process.cast().shareId() != null) {
                MDC.put("share_id", process.cast().shareId());
            }
            try {
                claimAndRun(message, delivery, process.request().context(), process.cast());
            } finally {
                MDC.remove("request_id");
                MDC.remove("global_request_id");
                MDC.remove("backup_id");
                MDC.remove("share_id");
                MDC.remove("job_id");
            }
        } else if (verdict instanceof DeliveryTriage.ReplyAndPark refused) {
            replyFailure(refused);
            park(delivery, refused.reason());
        } else if (verdict instanceof DeliveryTriage.Park park) {
            park(delivery, park.reason());
        }
    }

    /** Ends a wait before the next message at once: the slot stops. */
    void stop() {
        stopped.countDown();
    }

    private void claimAndRun(ReceivedMessage message, Settlement delivery, RequestContext context,
                             DataRpc.DataCast cast) {
        StateRpc.Claim claim = new StateRpc.Claim(cast.kind(), cast.backup(), cast.shareId(), node);
        StateRpc.Grant grant;
        try {
            grant = claims.claim(claim, context);
        } catch (ClaimClient.ClaimRefusedException e) {
            if (e.park()) {
                LOG.warn("{} refused by the api-gateway; parking the cast", ClaimClient.describe(claim));
                park(delivery, "claim refused: " + e.getMessage());
                return;
            }
            LOG.info("{} not claimed: {}; dropping the cast", ClaimClient.describe(claim), e.getMessage());
            delivery.ack();
            return;
        } catch (IOException | TimeoutException e) {
            returnUnclaimed(message, delivery, ClaimClient.describe(claim), e.getMessage());
            return;
        }
        MDC.put("job_id", grant.jobId());
        if (!delivery.ack()) {
            LOG.warn("{}: the cast of job {} was not acked; the broker delivers it again and that claim is refused",
                    slot, grant.jobId());
        }
        if (!running.start(grant.jobId(), grant.epoch())) {
            LOG.info("{}: job {} (epoch {}) already runs or ran on this node; dropping the duplicate cast", slot,
                    grant.jobId(), grant.epoch());
            return;
        }
        try {
            LOG.info("{} claimed job {} (epoch {})", slot, grant.jobId(), grant.epoch());
            runner.run(grant);
        } finally {
            running.finish(grant.jobId(), grant.epoch());
        }
    }

    /**
     * The api-gateway did not answer the claim: back to the queue (counted by the broker on quorum queues, by the
     * node on classic ones), or parked at the limit. The node never publishes a cast itself.
     */
    private void returnUnclaimed(ReceivedMessage message, Settlement delivery, String what, String why) {
        DeliveryTriage.Verdict verdict = triage.afterUnansweredClaim(message.headers(), message.body(), why);
        if (verdict instanceof DeliveryTriage.Park park) {
            park(delivery, park.reason());
            return;
        }
        LOG.warn("cannot claim {} ({}); returning the cast to the queue ({} time(s) so far)", what, why,
                ((DeliveryTriage.Requeue) verdict).deliveries());
        delivery.requeue();
        waitBeforeRetry();
    }

    private void replyFailure(DeliveryTriage.ReplyAndPark refused) {
        try {
            replies.send(refused.replyQueue(), refused.msgId(), refused.failure());
            LOG.info("had the api-gateway reply {} to the caller on {}", refused.failure().className(),
                    refused.replyQueue());
        } catch (IOException e) {
            LOG.warn("cannot have the api-gateway reply {} to the caller on {} ({}); the call times out on its side",
                    refused.failure().className(), refused.replyQueue(), e.getMessage());
        }
    }

    private void park(Settlement delivery, String reason) {
        try {
            delivery.park(reason);
        } catch (IOException e) {
            LOG.error("cannot move a message on {} to {} ({}); returning it to the queue to try again. It was to be "
                    + "parked because: {}", DataRpc.TOPIC, Parking.QUEUE, e.getMessage(), reason);
            delivery.requeue();
            waitBeforeRetry();
            return;
        }
        delivery.ack();
    }

    private void waitBeforeRetry() {
        try {
            stopped.await(retryAfter.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
