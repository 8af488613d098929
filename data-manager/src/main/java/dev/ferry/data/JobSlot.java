package dev.ferry.data;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.ferry.messages.amqp.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMQP shell of one job slot: one job at a time, on its own channel with prefetch 1. While a delivery is
 * handled (and its job runs), the slot's consumer is cancelled, so the node never holds more deliveries than it
 * has free slots and waiting casts go to idle nodes. Each delivery is converted to plain values where it is read
 * and handed to the slot's {@link CastHandler}, which claims, runs and decides how the delivery is settled
 * (acked, returned to the queue, or parked through the {@link ParkingLot}); the slot does that on the broker. A
 * delivery the slot takes while stopping, or whose handling fails unexpectedly, goes back to the queue.
 *
 * <p>A slot consumes one {@link CastQueue}: {@code manila-data} for the node's job slots, {@code ferry-data-verify}
 * for its verification slot.
 *
 * <p>Across broker restarts (automatic recovery): the slot declares its queue on its own channel,
 * so the client declares it again on recovery (a classic queue is gone after a restart); a consumer that was
 * registered is recovered by the client; a slot paused at that time consumes again when its delivery is
 * done or when the connection has recovered, whichever comes last ({@link #ensureConsuming}). Acks for
 * deliveries from before the connection dropped are ignored by the client (their tags are stale) or fail
 * while it is down; either way the broker has requeued those deliveries, and the slot goes on. A channel
 * the broker closed (say, after a consumer timeout) while the connection lives on is replaced.
 */
final class JobSlot implements Slot, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobSlot.class);

    private final String name;
    private final CastQueue queue;
    private final Connection connection;
    private final Topology topology;
    private final CastHandler handler;
    private final JobRunner runner;
    private final ParkingLot parking;
    private final ExecutorService worker;
    private Channel channel;
    private String consumerTag;
    private boolean handling;
    private boolean stopping;

    /**
     * @param queue   the queue the slot consumes
     * @param handler what is done with each delivery (claim, run, and how it is settled)
     * @param runner  the runner {@code handler} runs jobs on: what a drain waits for and stops
     */
    JobSlot(String name, CastQueue queue, Connection connection, Topology topology, CastHandler handler,
            JobRunner runner, ParkingLot parking) {
        this.name = name;
        this.queue = queue;
        this.connection = connection;
        this.topology = topology;
        this.handler = handler;
        this.runner = runner;
        this.parking = parking;
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
            LOG.warn("{} cannot consume {} yet: {}; trying again shortly", name, queue.name(), e.getMessage());
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
            if (queue.oslo()) {
                topology.declareOsloQueue(opened, queue.name());
            } else {
                topology.declareFerryQueue(opened, queue.name());
            }
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
        consumerTag = channel.basicConsume(queue.name(), false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                accept(new AmqpDelivery(getChannel(), envelope, properties, body));
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
    /** True while the slot's consumer is registered, or it is running a delivery (paused meanwhile). */
    synchronized boolean consumingOrBusy() {
        return !stopping && (consumerTag != null || handling);
    }

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
            LOG.debug("{} consuming {} again", name, queue.name());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} cannot consume {} yet ({}); trying again shortly", name, queue.name(), e.getMessage());
        }
    }

    private synchronized void brokerCancelled(String tag) {
        if (tag.equals(consumerTag)) {
            consumerTag = null;
            LOG.warn("{}: the broker cancelled its consumer on {} (queue deleted or moved?); consuming again shortly",
                    name, queue.name());
        }
    }

    /** On the client's consumer thread: hands the delivery to the slot's thread, or returns it if busy. */
    private synchronized void accept(AmqpDelivery delivery) {
        if (handling || stopping) {
            LOG.info("{} is {}; returning a delivery to {}", name, stopping ? "stopping" : "busy", queue.name());
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

    private void handle(AmqpDelivery delivery) {
        try {
            pause();
            if (isStopping()) {
                nack(delivery);
                return;
            }
            handler.handle(delivery.message(), settlementOf(delivery));
        } catch (RuntimeException | Error e) { // the runner reports what a job throws; this is anything else
            LOG.error("{} failed while handling a delivery; returning it to the queue unless it was acked", name, e);
            nack(delivery);
        } finally {
            synchronized (this) {
                handling = false;
            }
            ensureConsuming();
        }
    }

    /** What the handler may do with the delivery, done on the broker. */
    private CastHandler.Settlement settlementOf(AmqpDelivery delivery) {
        return new CastHandler.Settlement() {
            @Override
            public boolean ack() {
                return JobSlot.this.ack(delivery);
            }

            @Override
            public void requeue() {
                nack(delivery);
            }

            @Override
            public void park(String reason) throws IOException {
                parking.park(delivery, queue.name(), reason);
            }
        };
    }

    private boolean ack(AmqpDelivery delivery) {
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

    private void nack(AmqpDelivery delivery) {
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
        handler.stop();
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
