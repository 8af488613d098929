package dev.ferry.data;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import dev.ferry.drivers.BackupDriver;
import dev.ferry.drivers.SubdirShares;
import dev.ferry.messages.DataQueryRpc;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.Parking;
import dev.ferry.messages.Readiness;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc;
import dev.ferry.messages.amqp.AccessRefused;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.ConfirmPublisher;
import dev.ferry.messages.amqp.QueryServer;
import dev.ferry.messages.amqp.RpcClient;
import dev.ferry.messages.amqp.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A data-manager process: consumes Manila's data casts from {@code manila-data} with
 * {@code FERRY_DATA_CONCURRENCY} job slots, and verifications from {@code ferry-data-verify} with
 * {@link #VERIFY_SLOTS} slots of their own; claims each job from the api-gateway, runs it through the
 * backup driver while renewing its lease and watching its progress, and casts transitions back. It never opens
 * the database. Closing it drains: no new casts, running jobs get {@code FERRY_DRAIN_SECONDS}, the rest are
 * cancelled and released to other nodes. A job that makes no progress for {@code FERRY_JOB_STALL_SECONDS} is
 * failed and cancelled; when a cancelled job's thread does not return within {@link JobRunner#STOP_WAIT}, the
 * node gives up on its own: it takes no more casts, drains, and exits the process with
 * {@link NodeShutdown#EXIT_STUCK_JOB} ({@link NodeShutdown}).
 */
public final class DataNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataNode.class);
    private static final Duration SUPERVISE_EVERY = Duration.ofSeconds(5);
    /** How long a slot waits after returning a cast to the queue (no claim answer, or it could not be parked). */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    /** Threads (and calls taken at once) for the api-gateway's queries, beside the job slots. */
    static final int QUERY_THREADS = 4;
    /**
     * Slots for {@code verify_backup} casts ({@code ferry-data-verify}), beside the {@code FERRY_DATA_CONCURRENCY} job
     * slots, so that a verification never waits behind busy job slots.
     */
    static final int VERIFY_SLOTS = 1;
    private final DataNodeConfig config;
    private final Connection connection;
    private final Channel declarations;
    private final StatusPublisher status;
    private final ConfirmPublisher statusChannel;
    private final ConfirmPublisher confirmed;
    private final RpcClient rpc;
    private final ScheduledExecutorService leaseTimer;
    private final ScheduledExecutorService supervisor;
    private final List<JobSlot> slots = new ArrayList<>();
    private final NodeShutdown shutdown;
    private final ScheduledExecutorService reportTimer;
    private final ServiceReporter reporter;
    private final QueryServer queries;

    private DataNode(DataNodeConfig config, BackupDriver driver, SubdirShares shares, NodeExit exit,
                     NodeMetrics metrics) throws IOException {
        this.config = config;
        this.connection = new AmqpConnector(config.amqp()).open("ferry-data-manager:" + config.host());
        Topology declared = new Topology(config.amqp());
        // declared on a channel used for nothing else and closed only at the end, so that the client declares
        // them again after a reconnect (it does so on the channel that declared them)
        Channel declaring = connection.createChannel();
        try {
            declared.declareFerryQueue(declaring, StateRpc.TOPIC);
            declared.declareFerryQueue(declaring, StatusRpc.TOPIC);
            declared.declareFerryQueue(declaring, Parking.QUEUE);
            declared.declareFerryQueue(declaring, DataQueryRpc.TOPIC);
            declared.declareFerryQueue(declaring, DataRpc.VERIFY_TOPIC);
        } catch (IOException e) {
            if (!AccessRefused.in(e)) {
                throw e;
            }
            LOG.info("data node {}: its broker user may not declare Ferry's exchange and queues (a least-privilege "
                    + "data-node user); it checks that an api-gateway or the broker's definitions declared them",
                    config.host());
            declared = declared.checkingOnly();
            declaring = connection.createChannel();
        }
        Topology topology = declared;
        this.declarations = declaring;
        this.confirmed = new ConfirmPublisher(connection);
        this.statusChannel = new ConfirmPublisher(connection);
        this.status = new StatusPublisher(statusChannel, config.amqp().exchange(), config.host());
        this.rpc = new RpcClient(connection, topology);
        this.leaseTimer = Executors.newScheduledThreadPool(config.concurrency() + VERIFY_SLOTS, daemon("ferry-lease"));
        this.supervisor = Executors.newSingleThreadScheduledExecutor(daemon("ferry-slot-supervisor"));
        ClaimClient claims = new ClaimClient(rpc, config.claimTimeout());
        LeaseClient leases = new RpcLeaseClient(rpc, config.host());
        LeaseKeeper.Timer timer = (task, delay) -> leaseTimer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        ParkingLot parking = new ParkingLot(confirmed, topology, config.host(), Clock.systemUTC());
        FailureReply replies = new FailureReply(confirmed, config.amqp().exchange(), config.host());
        RunningJobs running = new RunningJobs();
        SlotFactory slotFactory = (name, queue, triage) -> {
            JobRunner runner = new JobRunner(config.host(),
                    grant -> new JobContext(grant, driver, shares, status, config.host(), MDC.get("request_id"),
                            config.progressInterval(), metrics),
                    JobRunner::jobFor, leases, timer, System::nanoTime, config.claimTimeout(),
                    new JobLimits(config.jobStall(), JobRunner.STOP_WAIT), this::jobCannotStop);
            CastHandler handler = new CastHandler(name, config.host(), triage, claims::claim, runner::run,
                    replies::send, running, RETRY_AFTER);
            return new JobSlot(name, queue, connection, topology, handler, runner, parking);
        };
        CastQueue jobs = CastQueue.jobs();
        DeliveryTriage jobTriage = new DeliveryTriage(jobs.name(), config.maxDeliveries(), config.amqp().quorum());
        for (int i = 0; i < config.concurrency(); i++) {
            slots.add(slotFactory.slot(config.host() + "-slot-" + i, jobs, jobTriage));
        }
        CastQueue verifications = CastQueue.verifications();
        DeliveryTriage verifyTriage = new DeliveryTriage(verifications.name(), config.maxDeliveries(),
                config.amqp().quorum());
        for (int i = 0; i < VERIFY_SLOTS; i++) {
            slots.add(slotFactory.slot(config.host() + "-verify-" + i, verifications, verifyTriage));
        }
        this.shutdown = new NodeShutdown(config.host(), slots, config.drainTimeout(),
                config.claimTimeout().plusSeconds(10), System::nanoTime, this::disconnect, exit);
        this.reportTimer = Executors.newSingleThreadScheduledExecutor(daemon("ferry-service-report"));
        this.reporter = new ServiceReporter(config.host(), DriverCapabilities.of(driver), shutdown::ready,
                ServiceReporter.over(rpc), reportTimer);
        this.queries = serveQueries(topology, driver);
        metrics.watchSlots(this::busySlots, slots.size());
        watchConnection();
    }

    /**
     * Answers the api-gateway's browse and path queries ({@link DataQueryRpc}) on a channel and threads of their own,
     * so they never wait behind busy job slots. When the query queue is missing (an older api-gateway declared
     * Ferry's queues, and this broker user may not), the node runs its jobs without answering queries.
     */
    private QueryServer serveQueries(Topology topology, BackupDriver driver) {
        try {
            return new QueryServer(connection, topology, DataQueryRpc.TOPIC, QUERY_THREADS,
                    new BackupQueryHandler(driver)::handle);
        } catch (IOException e) {
            LOG.warn("data node {} does not answer browse queries: {}", config.host(), e.getMessage());
            return null;
        }
    }

    /** Builds a slot consuming {@code queue}, with a runner of its own and the queue's {@code triage}. */
    @FunctionalInterface
    private interface SlotFactory {
        JobSlot slot(String name, CastQueue queue, DeliveryTriage triage);
    }

    /** Called by a runner (after the node started, so {@link #shutdown} is set). */
    private void jobCannotStop(StuckJob job) {
        shutdown.jobCannotStop(job);
    }

    /** Says when the broker connection drops and comes back; slots paused meanwhile consume again then. */
    private void watchConnection() {
        connection.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                LOG.warn("data node {} lost its RabbitMQ connection ({}); reconnecting every 2 s, running jobs go on",
                        config.host(), cause.getMessage());
            }
        });
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    LOG.info("data node {} reconnected to RabbitMQ; idle job slots consume again", config.host());
                    slots.forEach(JobSlot::ensureConsuming);
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    LOG.info("data node {} reconnecting to RabbitMQ", config.host());
                }
            });
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Cleans up what a dead node left (mounts), connects, and starts consuming. The {@code subdir} share folders
     * use the share mount templates, options and mount root of {@code config.driver()}.
     */
    public static DataNode start(DataNodeConfig config, BackupDriver driver) throws IOException {
        return start(config, driver, new SubdirShares(config.driver()));
    }

    /** As {@link #start(DataNodeConfig, BackupDriver)}, with the given {@code subdir} share folders. */
    public static DataNode start(DataNodeConfig config, BackupDriver driver, SubdirShares shares)
            throws IOException {
        return start(config, driver, shares, NodeExit.halt());
    }

    /**
     * As {@link #start(DataNodeConfig, BackupDriver, SubdirShares)}; {@code exit} ends the process when a job's
     * thread cannot be stopped (after the node drained), {@link NodeExit#halt()} in production.
     */
    public static DataNode start(DataNodeConfig config, BackupDriver driver, SubdirShares shares, NodeExit exit)
            throws IOException {
        return start(config, driver, shares, exit, new CompositeMeterRegistry());
    }

    /** As {@link #start(DataNodeConfig, BackupDriver)}, recording the node's meters into {@code registry}. */
    public static DataNode start(DataNodeConfig config, BackupDriver driver, MeterRegistry registry)
            throws IOException {
        return start(config, driver, new SubdirShares(config.driver()), NodeExit.halt(), registry);
    }

    /** As {@link #start(DataNodeConfig, BackupDriver, SubdirShares, NodeExit)}, with meters in {@code registry}. */
    public static DataNode start(DataNodeConfig config, BackupDriver driver, SubdirShares shares, NodeExit exit,
                                 MeterRegistry registry) throws IOException {
        driver.cleanUpLeftovers();
        DataNode node = new DataNode(config, driver, shares, exit, new NodeMetrics(registry));
        for (JobSlot slot : node.slots) {
            slot.start();
        }
        node.reporter.start();
        node.supervisor.scheduleWithFixedDelay(() -> node.slots.forEach(JobSlot::ensureConsuming),
                SUPERVISE_EVERY.toMillis(), SUPERVISE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("data node {} consuming '{}' on exchange '{}' at {} with {} job slots, and '{}' with {} ({} queues, "
                + "casts parked after {} deliveries, jobs failed after {} s without progress{})", config.host(),
                DataRpc.TOPIC, config.amqp().exchange(), config.amqp().redactedUri(), config.concurrency(),
                DataRpc.VERIFY_TOPIC, VERIFY_SLOTS,
                config.amqp().quorum() ? "quorum" : "classic", config.maxDeliveries(), config.jobStall().toSeconds(),
                config.driver().copyMaxBytesPerSecond() > 0
                        ? ", copies limited to " + config.driver().copyMaxBytesPerSecond() + " bytes/s per job" : "");
        return node;
    }

    public int busySlots() {
        return (int) slots.stream().filter(JobSlot::busy).count();
    }

    /**
     * Ready while its broker connection is open and every job slot's consumer is registered (or the slot is running
     * a job); not ready once it stops or gave up, naming what is missing.
     */
    public Readiness readiness() {
        if (!shutdown.ready()) {
            return Readiness.notReady("data node stopping: it takes no more casts");
        }
        if (!connection.isOpen()) {
            return Readiness.notReady("broker connection not open (FERRY_AMQP_URI)");
        }
        long idle = slots.stream().filter(slot -> !slot.consumingOrBusy()).count();
        return idle == 0 ? Readiness.READY
                : Readiness.notReady(idle + " of " + slots.size() + " job slots not consuming yet");
    }

    /** False once the node stops or gives up (a job it could not stop): it takes no casts then. */
    public boolean ready() {
        return shutdown.ready();
    }

    /**
     * Drains, then disconnects: stops consuming at once, lets running jobs finish within the drain timeout,
     * then cancels those still running without reporting a failure and releases them to other nodes. When a job
     * could not be stopped, the process then exits ({@link NodeShutdown#close}).
     */
    @Override
    public void close() {
        reporter.stop();
        shutdown.close();
    }

    /** Closes what the node opened, once its slots have drained. */
    private void disconnect() {
        supervisor.shutdownNow();
        leaseTimer.shutdownNow();
        reporter.stop();
        reportTimer.shutdownNow();
        status.close();
        if (queries != null) {
            queries.close();
        }
        slots.forEach(JobSlot::close);
        rpc.close();
        confirmed.close();
        statusChannel.close();
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException e) {
            LOG.debug("connection already closed: {}", e.getMessage());
        }
    }
}
