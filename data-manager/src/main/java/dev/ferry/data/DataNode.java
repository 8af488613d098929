package dev.ferry.data;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.ferry.drivers.BackupDriver;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.CastPublisher;
import dev.ferry.messages.amqp.RpcClient;
import dev.ferry.messages.amqp.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data-manager process: consumes Manila's data casts from {@code manila-data} with
 * {@code FERRY_DATA_CONCURRENCY} job slots, claims each job from the api-gateway, runs it through the
 * backup driver and casts transitions back. It never opens the database.
 */
public final class DataNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataNode.class);
    private final DataNodeConfig config;
    private final Connection connection;
    private final StatusPublisher status;
    private final CastPublisher publisher;
    private final RpcClient rpc;
    private final List<JobSlot> slots = new ArrayList<>();

    private DataNode(DataNodeConfig config, BackupDriver driver) throws IOException {
        this.config = config;
        this.connection = new AmqpConnector(config.amqp()).open("ferry-data-manager:" + config.host());
        Topology topology = new Topology(config.amqp());
        try (Channel channel = connection.createChannel()) {
            topology.declareOsloQueue(channel, DataRpc.TOPIC);
            topology.declareFerryQueue(channel, StateRpc.TOPIC);
            topology.declareFerryQueue(channel, StatusRpc.TOPIC);
        } catch (TimeoutException e) {
            throw new IOException("timed out declaring queues", e);
        }
        this.publisher = new CastPublisher(connection, config.amqp().exchange());
        this.status = new StatusPublisher(publisher, config.host());
        this.rpc = new RpcClient(connection, topology);
        ClaimClient claims = new ClaimClient(rpc, config.claimTimeout());
        for (int i = 0; i < config.concurrency(); i++) {
            slots.add(new JobSlot(config.host() + "-slot-" + i, connection, claims, config.host(),
                    grant -> new JobContext(grant, driver, status, config.host(),
                            org.slf4j.MDC.get("request_id"), config.progressInterval())));
        }
    }

    public static DataNode start(DataNodeConfig config, BackupDriver driver) throws IOException {
        DataNode node = new DataNode(config, driver);
        for (JobSlot slot : node.slots) {
            slot.start();
        }
        LOG.info("data node {} consuming '{}' on exchange '{}' at {} with {} job slots ({} queues)",
                config.host(), DataRpc.TOPIC, config.amqp().exchange(), config.amqp().redactedUri(),
                config.concurrency(), config.amqp().quorum() ? "quorum" : "classic");
        return node;
    }

    public int busySlots() {
        return (int) slots.stream().filter(JobSlot::busy).count();
    }

    /** Stops taking casts, lets running jobs finish within the drain timeout, then disconnects. */
    @Override
    public void close() {
        LOG.info("data node {} draining: {} job(s) running", config.host(), busySlots());
        List<Thread> drains = new ArrayList<>();
        for (JobSlot slot : slots) {
            Thread drain = new Thread(() -> slot.drain(config.drainTimeout().toMillis()), "drain-" + drains.size());
            drain.start();
            drains.add(drain);
        }
        for (Thread drain : drains) {
            try {
                drain.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        status.close();
        slots.forEach(JobSlot::close);
        rpc.close();
        publisher.close();
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException e) {
            LOG.debug("connection already closed: {}", e.getMessage());
        }
        LOG.info("data node {} stopped", config.host());
    }
}
