package dev.ferry.data;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.UndecodableMessageException;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One job at a time, on its own channel with prefetch 1. While a job runs, the slot's consumer is
 * cancelled, so the node never holds more deliveries than it has free slots and waiting casts go to
 * idle nodes. A cast is acked only after its claim is recorded by the api-gateway.
 */
final class JobSlot implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobSlot.class);
    private static final long RETRY_CLAIM_AFTER_MS = 2_000;
    private final String name;
    private final Channel channel;
    private final ClaimClient claims;
    private final String node;
    private final Function<StateRpc.Grant, JobContext> contexts;
    private final ExecutorService worker;
    private volatile String consumerTag;
    private volatile Job current;
    private volatile boolean stopping;

    JobSlot(String name, Connection connection, ClaimClient claims, String node,
            Function<StateRpc.Grant, JobContext> contexts) throws IOException {
        this.name = name;
        this.channel = connection.createChannel();
        this.channel.basicQos(1);
        this.claims = claims;
        this.node = node;
        this.contexts = contexts;
        this.worker = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
    }

    void start() throws IOException {
        consume();
    }

    private synchronized void consume() throws IOException {
        if (stopping || consumerTag != null) {
            return;
        }
        consumerTag = channel.basicConsume(DataRpc.TOPIC, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                worker.execute(() -> handle(envelope, properties, body));
            }
        });
    }

    private synchronized void pause() throws IOException {
        if (consumerTag != null) {
            channel.basicCancel(consumerTag);
            consumerTag = null;
        }
    }

    private void handle(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        long tag = envelope.getDeliveryTag();
        try {
            pause();
            RpcRequest request;
            DataRpc.DataCast cast;
            try {
                request = RpcRequest.decode(properties.getContentType(), body);
                cast = DataRpc.parse(request);
            } catch (UndecodableMessageException | RpcFailureException e) {
                LOG.error("rejecting a message on {} that cannot be processed: {}", DataRpc.TOPIC, e.getMessage());
                channel.basicReject(tag, false);
                return;
            }
            MDC.put("request_id", request.requestId());
            run(tag, request.context(), cast);
        } catch (IOException | RuntimeException e) {
            LOG.error("{} failed while handling a delivery", name, e);
        } finally {
            MDC.remove("request_id");
            resume();
        }
    }

    private void run(long tag, RequestContext context, DataRpc.DataCast cast) throws IOException {
        JobKind kind = cast instanceof DataRpc.RestoreBackup ? JobKind.RESTORE : JobKind.CREATE_BACKUP;
        StateRpc.Grant grant;
        try {
            grant = claims.claim(new StateRpc.Claim(kind, cast.backup(), cast.shareId(), node), context);
        } catch (ClaimClient.ClaimRefusedException e) {
            LOG.info("{} of backup {} not claimed: {}; dropping the cast", kind.wireName(), cast.backup().id(),
                    e.getMessage());
            channel.basicAck(tag, false);
            return;
        } catch (IOException | TimeoutException e) {
            LOG.warn("cannot claim {} of backup {} ({}); returning the cast to the queue", kind.wireName(),
                    cast.backup().id(), e.getMessage());
            channel.basicNack(tag, false, true);
            waitBeforeRetry();
            return;
        }
        channel.basicAck(tag, false);
        JobContext job = contexts.apply(grant);
        current = kind == JobKind.RESTORE ? new RestoreJob(job) : new BackupJob(job);
        LOG.info("{} claimed job {} (epoch {})", name, grant.jobId(), grant.epoch());
        try {
            current.run();
        } finally {
            current = null;
        }
    }

    private void waitBeforeRetry() {
        try {
            worker.awaitTermination(RETRY_CLAIM_AFTER_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void resume() {
        try {
            if (channel.isOpen()) {
                consume();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("{} cannot resume consuming {}: {}", name, DataRpc.TOPIC, e.getMessage(), e);
        }
    }

    boolean busy() {
        return current != null;
    }

    /** Stops taking casts and waits for the running job up to {@code waitMillis}, then cancels it. */
    void drain(long waitMillis) {
        stopping = true;
        try {
            pause();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: consumer already gone: {}", name, e.getMessage());
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
                Job job = current;
                if (job != null) {
                    LOG.warn("{}: job still running after the drain timeout; cancelling it", name);
                    job.cancel();
                }
                worker.awaitTermination(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        drain(0);
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // closing on shutdown
        }
    }
}
