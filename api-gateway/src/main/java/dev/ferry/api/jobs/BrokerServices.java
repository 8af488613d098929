package dev.ferry.api.jobs;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.ferry.messages.DataQueryRpc;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.Parking;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.RpcClient;
import dev.ferry.messages.amqp.RpcServer;
import dev.ferry.messages.amqp.Topology;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ferry-state} and {@code ferry-status} servers, and the client that asks data nodes over
 * {@code ferry-data-query} ({@link DataQueries}). Connects in the background and keeps trying
 * while the broker is away (the HTTP API works meanwhile); once connected, the client's automatic
 * recovery keeps the consumers alive across broker restarts.
 */
public final class BrokerServices implements AutoCloseable {
    /** Counted down by close(), so a retry wait ends at once when the gateway stops. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private static final Logger LOG = LoggerFactory.getLogger(BrokerServices.class);
    private static final int PREFETCH = 16;
    /**
     * Consumers (each on a channel of its own) per topic: the client runs one channel's deliveries one after another,
     * so with one consumer every claim and transition would wait for the database work of the one before it. The
     * handlers are idempotent compare-and-sets, so their order across consumers does not matter.
     */
    static final int CONSUMERS_PER_TOPIC = 4;
    private static final long MAX_RETRY_MILLIS = 5_000;
    private final AmqpConnector connector;
    private final Topology topology;
    private final String connectionName;
    private final StateRpcHandler state;
    private final StatusRpcHandler status;
    private final DataQueries queries;
    private RpcClient queryClient;
    private final List<RpcServer> servers = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean serving;
    private Connection connection;

    public BrokerServices(AmqpConnector connector, Topology topology, String connectionName, StateRpcHandler state,
                          StatusRpcHandler status) {
        this(connector, topology, connectionName, state, status, null);
    }

    /** {@code queries} (may be null) is given its client once connected, and loses it on close. */
    public BrokerServices(AmqpConnector connector, Topology topology, String connectionName, StateRpcHandler state,
                          StatusRpcHandler status, DataQueries queries) {
        this.queries = queries;
        this.connector = connector;
        this.topology = topology;
        this.connectionName = connectionName;
        this.state = state;
        this.status = status;
        this.thread = new Thread(this::connect, "ferry-broker-connect");
        this.thread.setDaemon(true);
    }

    public BrokerServices start() {
        thread.start();
        return this;
    }

    /** True once both RPC servers consume. */
    public boolean serving() {
        return serving;
    }

    /** True while both RPC servers consume on an open connection (false while the broker is away). */
    public synchronized boolean connected() {
        return serving && connection != null && connection.isOpen();
    }

    private void connect() {
        long wait = 500;
        boolean warned = false;
        while (running) {
            try {
                open();
                LOG.info("serving {} and {} on {}", StateRpc.TOPIC, StatusRpc.TOPIC,
                        connector.settings().redactedUri());
                return;
            } catch (IOException | RuntimeException e) {
                closeConnection();
                if (!warned) {
                    warned = true;
                    LOG.warn("cannot serve {} and {} yet: {}; retrying every {} s at most", StateRpc.TOPIC,
                            StatusRpc.TOPIC, e.getMessage(), MAX_RETRY_MILLIS / 1000);
                }
            }
            try {
                if (stopped.await(wait, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            wait = Math.min(wait * 2, MAX_RETRY_MILLIS);
        }
    }

    private synchronized void open() throws IOException {
        if (!running) {
            return;
        }
        connection = connector.open(connectionName);
        declareDataQueues();
        for (int i = 0; i < CONSUMERS_PER_TOPIC; i++) {
            servers.add(new RpcServer(connection, topology, StateRpc.TOPIC, PREFETCH, state));
            servers.add(new RpcServer(connection, topology, StatusRpc.TOPIC, PREFETCH, status));
        }
        if (queries != null) {
            queryClient = new RpcClient(connection, topology, true);
            queries.use(queryClient);
        }
        serving = true;
    }

    /**
     * Declares {@code manila-data}, {@code ferry-data-verify}, {@code ferry-parked} and {@code ferry-data-query} at once, so that least-privilege
     * data nodes (which may not declare them) find them, on a channel kept open so the client declares them again
     * after a reconnect.
     */
    private void declareDataQueues() throws IOException {
        Channel declarations = connection.createChannel();
        topology.declareOsloQueue(declarations, DataRpc.TOPIC);
        topology.declareFerryQueue(declarations, DataRpc.VERIFY_TOPIC);
        topology.declareFerryQueue(declarations, Parking.QUEUE);
        topology.declareFerryQueue(declarations, DataQueryRpc.TOPIC);
    }

    private synchronized void closeConnection() {
        if (queries != null) {
            queries.use(null);
        }
        if (queryClient != null) {
            queryClient.close();
            queryClient = null;
        }
        servers.forEach(RpcServer::close);
        servers.clear();
        serving = false;
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException ignored) {
                // shutting down or never fully opened
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        stopped.countDown();
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
