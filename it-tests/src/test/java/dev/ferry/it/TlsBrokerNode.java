package dev.ferry.it;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * A RabbitMQ node of the test's own, with a TLS listener on its own ports, its data, logs and configuration in a
 * temporary folder (never the machine's node on 5672). Stopped by its PID.
 */
final class TlsBrokerNode implements AutoCloseable {
    private static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");
    final int tlsPort;
    private final Path dir;
    private final Process launcher;

    private TlsBrokerNode(int tlsPort, Path dir, Process launcher) {
        this.tlsPort = tlsPort;
        this.dir = dir;
        this.launcher = launcher;
    }

    /** Starts a node whose TLS listener (all addresses) presents {@code cert}/{@code key}. */
    static TlsBrokerNode start(Path dir, Path ca, Path cert, Path key) throws IOException {
        int tlsPort = FerrySystem.freePort();
        int tcpPort = FerrySystem.freePort();
        int distPort = FerrySystem.freePort();
        Files.createDirectories(dir.resolve("home"));
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        Path config = Files.writeString(dir.resolve("rabbitmq.conf"), String.join("\n",
                "listeners.tcp.default = 127.0.0.1:" + tcpPort,
                "listeners.ssl.default = " + tlsPort,
                "ssl_options.cacertfile = " + ca,
                "ssl_options.certfile = " + cert,
                "ssl_options.keyfile = " + key,
                "ssl_options.verify = verify_none",
                "ssl_options.fail_if_no_peer_cert = false", ""));
        ProcessBuilder builder = new ProcessBuilder(SERVER.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.out").toFile());
        builder.environment().put("HOME", dir.resolve("home").toString());
        builder.environment().put("RABBITMQ_NODENAME", "ferry-tls-" + UUID.randomUUID().toString().substring(0, 8)
                + "@localhost");
        builder.environment().put("RABBITMQ_NODE_PORT", Integer.toString(tcpPort));
        builder.environment().put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        builder.environment().put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        builder.environment().put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        builder.environment().put("RABBITMQ_CONFIG_FILE", config.toString());
        builder.environment().put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        builder.environment().put("RABBITMQ_PID_FILE", dir.resolve("pid").toString());
        TlsBrokerNode node = new TlsBrokerNode(tlsPort, dir, builder.start());
        try {
            Awaitility.await("the TLS RabbitMQ node listens on " + tlsPort).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        if (!node.launcher.isAlive()) {
                            throw new AssertionError("rabbitmq-server exited: " + node.output());
                        }
                        return node.answers();
                    });
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
        return node;
    }

    private boolean answers() {
        try (Socket ignored = new Socket("127.0.0.1", tlsPort)) {
            return node().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    String output() {
        try {
            return Files.readString(dir.resolve("server.out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The Erlang VM's process, from the PID file the node writes. */
    private Optional<ProcessHandle> node() {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("pid")).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        node().ifPresent(vm -> {
            vm.destroy(); // SIGTERM: the node stops cleanly
            vm.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> {
                vm.destroyForcibly();
                return vm;
            }).join();
        });
        if (launcher.isAlive()) {
            launcher.destroy();
        }
    }
}
