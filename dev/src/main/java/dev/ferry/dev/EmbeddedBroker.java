package dev.ferry.dev;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.BrokerImpl;
import org.apache.qpid.server.model.Container;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.State;
import org.apache.qpid.server.model.SystemConfig;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMQP 0-9-1 broker {@code ferry dev} runs in-process when no RabbitMQ is reachable: an Apache
 * Qpid Broker-J with everything in memory, listening on 127.0.0.1 only, user guest/guest (SASL PLAIN),
 * whose default virtual host answers to RabbitMQ's {@code /} (so {@link #amqpUri()} is
 * {@code amqp://guest:guest@127.0.0.1:<port>/%2F}). Ferry's RabbitMQ client code works against it
 * unchanged in classic mode ({@code quorum=false}, which {@code ferry dev} sets). Qpid has no quorum
 * queues: since unknown declare arguments are ignored (below), a quorum-mode declare would quietly give
 * a classic queue.
 *
 * <p>Where Qpid differs from RabbitMQ, the configuration ({@code embedded-broker.json} beside this
 * class) bends Qpid towards RabbitMQ for what Ferry does:
 * <ul>
 *   <li>{@code basic.reject} and {@code basic.nack} with {@code requeue=false} discard the message, as on
 *       RabbitMQ without a dead-letter exchange ({@code queue.maximumDeliveryAttempts=1}); Qpid's default
 *       requeues it, which would hand a poison message straight back to the consumer that rejected
 *       it. {@code requeue=true} requeues, and the redelivery carries the redelivered flag.</li>
 *   <li>Queue-declare arguments Qpid does not know (RabbitMQ's {@code x-expires} on reply queues) are
 *       ignored instead of failing the declare ({@code queue.behaviourOnUnknownDeclareArgument=IGNORE}).
 *       Reply queues therefore do not expire; they are transient and vanish with the broker.</li>
 *   <li>Qpid reads the AMQP 0-9-1 {@code expiration} property as an absolute time (ms since the epoch),
 *       RabbitMQ as a TTL relative to arrival: a call published with {@code expiration=60000} would be
 *       dead on arrival. Every queue therefore has a minimum message TTL of {@link #CALL_TTL_FLOOR_MS}
 *       ({@code queue.minimumMessageTtl}): a message carrying an expiration lives at least that long
 *       after arrival; messages without one never expire.</li>
 *   <li>SASL AMQPLAIN is not offered (Qpid has no such mechanism); PLAIN, the RabbitMQ Java client's
 *       default, is, also on this non-TLS port (Qpid offers PLAIN only over TLS by default).</li>
 *   <li>Qpid's own JVM shutdown hook is removed (see {@link #leaveShutdownToCaller}): whoever starts the
 *       broker closes it, after the components that use it.</li>
 * </ul>
 *
 * <p>Logging: Qpid logs through SLF4J (no Qpid log file; nothing on stdout unless startup fails). Unless the logback
 * configuration already sets them, {@code org.apache.qpid}, Qpid's operational log {@code qpid.message}
 * (several INFO lines per connection, channel, queue and consumer) and {@code qpid.statistics} are
 * set to WARN; this class logs one INFO line when the broker listens and one when it stopped. Setting
 * e.g. {@code <logger name="qpid.message" level="INFO"/>} in logback.xml brings Qpid's lines back.
 */
public final class EmbeddedBroker implements AutoCloseable {
    /**
     * The least time a message carrying an {@code expiration} stays on a queue (see the class comment):
     * well above oslo's default call timeout (60 s), so no call is dropped before its caller gives up; a
     * call nobody took within it is dropped, like an expired call on RabbitMQ, only later.
     */
    public static final long CALL_TTL_FLOOR_MS = 10 * 60_000L;
    static final String CONFIG_RESOURCE = "embedded-broker.json";
    private static final String HOST = "127.0.0.1";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final SystemLauncher launcher;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedBroker(SystemLauncher launcher, int port) {
        this.launcher = launcher;
        this.port = port;
    }

    /**
     * Starts the broker on {@code 127.0.0.1:port} ({@code 0} picks a free port; {@link #port()} tells
     * which) and returns once it accepts connections.
     *
     * @param workDir Qpid's work directory ({@code qpid.work_dir}); created if missing. With the memory
     *                stores Qpid keeps nothing there, but it must be a writable place of Ferry's choosing
     *                rather than Qpid's default {@code ./work}.
     * @throws IOException if the broker does not start, e.g. because the port is taken
     */
    public static EmbeddedBroker start(int port, Path workDir) throws IOException {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port");
        }
        URL config = EmbeddedBroker.class.getResource(CONFIG_RESOURCE);
        if (config == null) {
            throw new IllegalStateException(CONFIG_RESOURCE + " is missing from the classpath beside "
                    + EmbeddedBroker.class.getName());
        }
        Files.createDirectories(workDir);
        if (port != 0) {
            ensureFree(port);
        }
        quietQpidLogging();

        Map<String, String> context = new HashMap<>();
        context.put("ferry.qpid.port", Integer.toString(port));
        context.put("ferry.qpid.minimumMessageTtl", Long.toString(CALL_TTL_FLOOR_MS));
        context.put(SystemConfig.QPID_WORK_DIR, workDir.toAbsolutePath().toString());
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(SystemConfig.TYPE, "Memory");
        attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION, config.toExternalForm());
        attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, false);
        // Qpid's default keeps user preferences in ${qpid.work_dir}/preferences.json: keep nothing.
        attributes.put("preferenceStoreAttributes", Map.of("type", "Noop"));
        attributes.put(SystemConfig.CONTEXT, context);

        long started = System.nanoTime();
        StartupListener listener = new StartupListener();
        SystemLauncher launcher = new SystemLauncher(listener);
        try {
            launcher.startup(attributes);
        } catch (Exception e) {
            launcher.shutdown();
            throw new IOException("the embedded AMQP broker did not start on " + HOST + ":" + port + ": "
                    + rootMessage(e), e);
        }
        // SystemLauncher logs and swallows a failed startup (and has shut down by then): report it.
        if (listener.startupError != null) {
            throw new IOException("the embedded AMQP broker did not start on " + HOST + ":" + port + ": "
                    + rootMessage(listener.startupError), listener.startupError);
        }
        int bound;
        try {
            Broker<?> broker = brokerOf(listener.systemConfig);
            bound = listeningPort(broker);
            leaveShutdownToCaller(broker);
        } catch (IOException | RuntimeException e) {
            launcher.shutdown();
            throw e;
        }
        LOG.info("embedded AMQP broker (Qpid Broker-J, in memory) listening on {}:{} after {} ms", HOST, bound,
                (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedBroker(launcher, bound);
    }

    /** The port the broker listens on. */
    public int port() {
        return port;
    }

    /** What Ferry's {@code FERRY_AMQP_URI} is while this broker runs. */
    public String amqpUri() {
        return "amqp://guest:guest@" + HOST + ":" + port + "/%2F";
    }

    /** Stops the broker: connections are closed, the port is released, every queue and message is gone. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            launcher.shutdown();
            LOG.info("embedded AMQP broker on {}:{} stopped", HOST, port);
        }
    }

    /**
     * Fails early and plainly when the port is taken (e.g. by another {@code ferry dev}): Qpid would also
     * refuse to start, but after printing its stack traces.
     */
    private static void ensureFree(int port) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(HOST, port));
        } catch (IOException e) {
            throw new IOException("cannot start the embedded AMQP broker: " + HOST + ":" + port
                    + " is already in use (" + e.getMessage() + ")", e);
        }
    }

    private static Broker<?> brokerOf(SystemConfig<?> systemConfig) throws IOException {
        Container<?> container = systemConfig == null ? null : systemConfig.getContainer();
        if (!(container instanceof Broker<?> broker)) {
            throw new IOException("the embedded AMQP broker started without a broker object");
        }
        return broker;
    }

    private static int listeningPort(Broker<?> broker) throws IOException {
        for (Port<?> candidate : broker.getPorts()) {
            if ("AMQP".equals(candidate.getName())) {
                if (candidate.getState() != State.ACTIVE || candidate.getBoundPort() <= 0) {
                    throw new IOException("the embedded AMQP broker's port is " + candidate.getState()
                            + ", not listening");
                }
                return candidate.getBoundPort();
            }
        }
        throw new IOException("the embedded AMQP broker has no AMQP port; is " + CONFIG_RESOURCE + " intact?");
    }

    /**
     * Qpid registers a JVM shutdown hook that closes the broker at once on exit, racing {@code ferry dev}'s
     * own hook: the broker would force-close (320 CONNECTION_FORCED) the connections of components that
     * are still stopping. Removing it leaves the order to the caller, who closes this broker last. Qpid
     * offers no switch for this, hence the reflection; if it fails, Qpid's hook simply stays.
     */
    private static void leaveShutdownToCaller(Broker<?> broker) {
        try {
            Field hook = BrokerImpl.class.getDeclaredField("_shutdownHook");
            hook.setAccessible(true);
            if (broker instanceof BrokerImpl && hook.get(broker) instanceof Thread thread) {
                Runtime.getRuntime().removeShutdownHook(thread);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Qpid's shutdown hook stays: on exit the broker may stop before Ferry's components", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }

    /** Qpid's loggers default to quiet unless the logback configuration names them. */
    private static void quietQpidLogging() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext logback)) {
            return;
        }
        defaultLevel(logback, "org.apache.qpid", Level.WARN);
        defaultLevel(logback, "qpid.message", Level.WARN);
        defaultLevel(logback, "qpid.statistics", Level.WARN);
    }

    private static void defaultLevel(LoggerContext logback, String name, Level level) {
        ch.qos.logback.classic.Logger logger = logback.getLogger(name);
        if (logger.getLevel() == null) {
            logger.setLevel(level);
        }
    }

    /** Catches what {@link SystemLauncher#startup} reports only to its listener. */
    private static final class StartupListener extends SystemLauncherListener.DefaultSystemLauncherListener {
        private volatile RuntimeException startupError;
        private volatile SystemConfig<?> systemConfig;

        @Override
        public void errorOnStartup(RuntimeException e) {
            startupError = e;
        }

        @Override
        public void onContainerResolve(SystemConfig<?> resolved) {
            systemConfig = resolved;
        }
    }
}
