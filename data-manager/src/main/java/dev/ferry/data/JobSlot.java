package dev.ferry.data;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.Parking;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.amqp.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One job at a time, on its own channel with prefetch 1. While a delivery is handled (and its job runs),
 * the slot's consumer is cancelled, so the node never holds more deliveries than it has free slots and
 * waiting casts go to idle nodes. A cast is acked only after its claim is recorded by the api-gateway; a
 * delivery that cannot be processed is parked, never dropped; a cast whose claim got no answer goes back to
 * the queue (counted, and parked at {@code FERRY_MAX_DELIVERIES}).
 *
 * <p>Across broker restarts (automatic recovery): the slot declares {@code manila-data} on its own channel,
 * so the client declares it again on recovery (a classic queue is gone after a restart); a consumer that was
 * registered is recovered by the client; a slot paused at that time consumes again when its delivery is
 * done or when the connection has recovered, whichever comes last ({@link #ensureConsuming}). Acks for
 * deliveries from before the connection dropped are ignored by the client (their tags are stale) or fail
 * while it is down; either way the broker has requeued those deliveries, and the slot goes on. A channel
 * the broker closed (say, after a consumer timeout) while the connection lives on is replaced.
 */
final class JobSlot implements Slot, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobSlot.class);
    private static final Duration RETRY_CLAIM_AFTER = Duration.ofSeconds(2);

    private final String name;
    private final Connection connection;
    private final Topology topology;
    private final ClaimClient claims;
    private final JobRunner runner;
    private final DeliveryTriage triage;
    private final ParkingLot parking;
    private final FailureReply replies;
    private final String node;
    private final ExecutorService worker;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Channel channel;
    private String consumerTag;
    private boolean handling;
    private boolean stopping;
    private final RunningJobs running;

    JobSlot(String name, Connection connection, Topology topology, ClaimClient claims, JobRunner runner,
            DeliveryTriage triage, ParkingLot parking, FailureReply replies, String node, RunningJobs running) {
        this.running = running;
        this.name = name;
        this.connection = connection;
        this.topology = topology;
        this.claims = claims;
        this.runner = runner;
        this.triage = triage;
        this.parking = parking;
        this.replies = replies;
        this.node = node;
        this.worker = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
    }

    /**
     * Consumes; when the queue is not there yet and this broker user may not declare it, waits for it (an
     * api-gateway declares it): {@link #ensureConsuming} tries again.
     */
    synchronized void start() throws IOException {
        try {
            channel = openChannel();
        } catch (IOException e) {
            if (topology.declares()) {
                throw e;
            }
            LOG.warn("{} cannot consume {} yet: {}; trying again shortly", name, DataRpc.TOPIC, e.getMessage());
            return;
        }
        consume();
    }

    /**
     * A channel with prefetch 1 that has declared the queue (so that recovery declares it again there), or, for a
     * broker user that may not declare it, has checked that it exists.
     */
    private Channel openChannel() throws IOException {
        Channel opened = connection.createChannel();
        try {
            opened.basicQos(1);
            topology.declareOsloQueue(opened, DataRpc.TOPIC);
        } catch (IOException | RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
        return opened;
    }

    private static void closeQuietly(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // a channel that failed its declarations is dropped
        }
    }

    private synchronized void consume() throws IOException {
        consumerTag = channel.basicConsume(DataRpc.TOPIC, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                accept(new Delivery(getChannel(), envelope, properties, body));
            }

            @Override
            public void handleCancel(String tag) {
                brokerCancelled(tag);
            }

            @Override
            public void handleShutdownSignal(String tag, com.rabbitmq.client.ShutdownSignalException signal) {
                if (!signal.isHardError() && !signal.isInitiatedByApplication()) {
                    brokerCancelled(tag); // the broker closed the channel alone (say, its queue vanished)
                }
            }
        });
    }

    /**
     * Consumes again if the slot is idle, not stopping and not consuming: after a delivery, after the
     * connection recovered, after the broker cancelled the consumer, and periodically as a safety net.
     */
    synchronized void ensureConsuming() {
        if (stopping || handling || consumerTag != null) {
            return;
        }
        try {
            if (channel == null || !channel.isOpen()) {
                if (!connection.isOpen()) {
                    return; // the connection is recovering; handleRecovery calls back
                }
                if (channel != null) {
                    LOG.warn("{}: its channel was closed ({}); opening a new one", name,
                            channel.getCloseReason() == null ? "no reason given" : channel.getCloseReason().getMessage());
                }
                channel = openChannel();
            }
            consume();
            LOG.debug("{} consuming {} again", name, DataRpc.TOPIC);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} cannot consume {} yet ({}); trying again shortly", name, DataRpc.TOPIC, e.getMessage());
        }
    }

    private synchronized void brokerCancelled(String tag) {
        if (tag.equals(consumerTag)) {
            consumerTag = null;
            LOG.warn("{}: the broker cancelled its consumer on {} (queue deleted or moved?); consuming again shortly",
                    name, DataRpc.TOPIC);
        }
    }

    /** On the client's consumer thread: hands the delivery to the slot's thread, or returns it if busy. */
    private synchronized void accept(Delivery delivery) {
        if (handling || stopping) {
            LOG.info("{} is {}; returning a delivery to {}", name, stopping ? "stopping" : "busy", DataRpc.TOPIC);
            nack(delivery);
            return;
        }
        handling = true;
        try {
            worker.execute(() -> handle(delivery));
        } catch (RejectedExecutionException e) {
            handling = false;
            nack(delivery);
        }
    }

    private synchronized void pause() {
        String tag = consumerTag;
        consumerTag = null; // also when the cancel fails: the client has forgotten the consumer already
        if (tag != null) {
            try {
                channel.basicCancel(tag);
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: cancelling the consumer failed ({}); it is not recovered either", name, e.toString());
            }
        }
    }

    private void handle(Delivery delivery) {
        try {
            pause();
            if (isStopping()) {
                nack(delivery);
                return;
            }
            DeliveryTriage.Verdict verdict = triage.triage(delivery.properties().getContentType(), delivery.body(),
                    delivery.headers());
            if (verdict instanceof DeliveryTriage.Process process) {
                MDC.put("request_id", process.request().requestId());
                run(delivery, process.request().context(), process.cast());
            } else if (verdict instanceof DeliveryTriage.ReplyAndPark refused) {
                replyFailure(refused);
                park(delivery, refused.reason());
            } else if (verdict instanceof DeliveryTriage.Park park) {
                park(delivery, park.reason());
            }
        } catch (RuntimeException | Error e) { // the runner reports what a job throws; this is anything else
            LOG.error("{} failed while handling a delivery; returning it to the queue unless it was acked", name, e);
            nack(delivery);
        } finally {
            MDC.remove("request_id");
            synchronized (this) {
                handling = false;
            }
            ensureConsuming();
        }
    }

    private void run(Delivery delivery, RequestContext context, DataRpc.DataCast cast) {
        JobKind kind = kindOf(cast);
        StateRpc.Grant grant;
        try {
            grant = claims.claim(new StateRpc.Claim(kind, cast.backup(), cast.shareId(), node), context);
        } catch (ClaimClient.ClaimRefusedException e) {
            if (e.park()) {
                LOG.warn("{} refused by the api-gateway; parking the cast", describe(kind, cast));
                park(delivery, "claim refused: " + e.getMessage());
                return;
            }
            LOG.info("{} not claimed: {}; dropping the cast", describe(kind, cast), e.getMessage());
            ack(delivery);
            return;
        } catch (IOException | TimeoutException e) {
            returnUnclaimed(delivery, describe(kind, cast), e.getMessage());
            return;
        }
        if (!ack(delivery)) {
            LOG.warn("{}: the cast of job {} was not acked; the broker delivers it again and that claim is refused",
                    name, grant.jobId());
        }
        if (!running.start(grant.jobId(), grant.epoch())) {
            LOG.info("{}: job {} (epoch {}) already runs or ran on this node; dropping the duplicate cast", name,
                    grant.jobId(), grant.epoch());
            return;
        }
        try {
            LOG.info("{} claimed job {} (epoch {})", name, grant.jobId(), grant.epoch());
            runner.run(grant);
        } finally {
            running.finish(grant.jobId(), grant.epoch());
        }
    }

    /**
     * The job a cast asks for. Every type of the sealed {@link DataRpc.DataCast} is mapped (Java 17 has no
     * pattern switch; JobSlotTest checks each permitted type, so a new cast cannot go unmapped silently).
     */
    static JobKind kindOf(DataRpc.DataCast cast) {
        if (cast instanceof DataRpc.RestoreBackup) {
            return JobKind.RESTORE;
        }
        if (cast instanceof DataRpc.CreateBackup) {
            return JobKind.CREATE_BACKUP;
        }
        if (cast instanceof DataRpc.DeleteBackup) {
            return JobKind.DELETE_BACKUP;
        }
        if (cast instanceof DataRpc.CreateShare) {
            return JobKind.CREATE_SHARE;
        }
        if (cast instanceof DataRpc.DeleteShare) {
            return JobKind.DELETE_SHARE;
        }
        if (cast instanceof DataRpc.ShrinkShare) {
            return JobKind.SHRINK_SHARE;
        }
        throw new IllegalArgumentException("no job kind for cast " + cast.getClass().getName());
    }

    /**
     * Names a cast's job for the logs: by its backup when it has one ({@code restore_backup of backup b1}), by its
     * share otherwise ({@code delete_share of share s1}).
     */
    static String describe(JobKind kind, DataRpc.DataCast cast) {
        return cast.backup() == null ? kind.wireName() + " of share " + cast.shareId()
                : kind.wireName() + " of backup " + cast.backup().id();
    }

    /**
     * The api-gateway did not answer the claim: back to the queue with basic.nack (counted by the broker on quorum
     * queues, by the node on classic ones), or parked at the limit. The node never publishes a cast itself.
     */
    private void returnUnclaimed(Delivery delivery, String what, String why) {
        DeliveryTriage.Verdict verdict = triage.afterUnansweredClaim(delivery.headers(), delivery.body(), why);
        if (verdict instanceof DeliveryTriage.Park park) {
            park(delivery, park.reason());
            return;
        }
        LOG.warn("cannot claim {} ({}); returning the cast to the queue ({} time(s) so far)", what, why,
                ((DeliveryTriage.Requeue) verdict).deliveries());
        nack(delivery);
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

    private void park(Delivery delivery, String reason) {
        try {
            parking.park(delivery, reason);
            ack(delivery);
        } catch (IOException e) {
            LOG.error("cannot move a message on {} to {} ({}); returning it to the queue to try again. It was to be "
                    + "parked because: {}", DataRpc.TOPIC, Parking.QUEUE, e.getMessage(), reason);
            nack(delivery);
            waitBeforeRetry();
        }
    }

    private boolean ack(Delivery delivery) {
        if (!delivery.settled().compareAndSet(false, true)) {
            return true;
        }
        try {
            delivery.channel().basicAck(delivery.tag(), false);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot ack a delivery ({}); the broker delivers it again", name, e.getMessage());
            return false;
        }
    }

    private void nack(Delivery delivery) {
        if (!delivery.settled().compareAndSet(false, true)) {
            return;
        }
        try {
            delivery.channel().basicNack(delivery.tag(), false, true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot return a delivery ({}); the broker returns it when the channel closes", name,
                    e.getMessage());
        }
    }

    private void waitBeforeRetry() {
        try {
            stopped.await(RETRY_CLAIM_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized boolean isStopping() {
        return stopping;
    }

    @Override
    public boolean busy() {
        return runner.busy();
    }

    /** Takes no more deliveries, at once. */
    @Override
    public void stopConsuming() {
        synchronized (this) {
            stopping = true;
        }
        stopped.countDown();
        pause();
    }

    /**
     * Stops consuming, lets the running job finish until {@code deadlineNanos} (System.nanoTime), then has it
     * cancelled and released ({@link JobRunner#drain}); waits for a delivery still being handled, unless its job
     * could not be stopped (its thread is the slot's, and may never return).
     */
    @Override
    public void drain(long deadlineNanos, Duration handlingWait) {
        stopConsuming();
        runner.drain(deadlineNanos);
        worker.shutdown();
        if (runner.stuck()) {
            LOG.warn("{}: its job could not be stopped; not waiting for its thread", name);
            return;
        }
        try {
            if (!worker.awaitTermination(handlingWait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} is still handling a delivery; closing anyway (the broker returns it)", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        worker.shutdownNow();
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // closing on shutdown
        }
    }
}
