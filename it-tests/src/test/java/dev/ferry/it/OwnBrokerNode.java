package dev.ferry.it;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A RabbitMQ node of the test's own on its own loopback port, its data, logs and configuration in a temporary
 * folder (never the machine's node on 5672), that the test may stop and start again (same name, port and data).
 * Stopped by its PID. The default user guest/guest and vhost {@code /} serve the test.
 */
final class OwnBrokerNode implements AutoCloseable {
    private static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");
    final int port;
    private final int distPort;
    private final String nodeName;
    private final Path dir;
    private final Path home;
    private Process launcher;

    private OwnBrokerNode(Path dir, Path home, int port, int distPort, String nodeName) {
        this.dir = dir;
        this.home = home;
        this.port = port;
        this.distPort = distPort;
        this.nodeName = nodeName;
    }

    static OwnBrokerNode start(Path dir) throws IOException {
        return start(dir, dir.resolve("home"), "ferry-own-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * A node named {@code name@localhost} whose {@code HOME} (and so Erlang cookie) is {@code home}: nodes that share
     * it may form a cluster ({@link RabbitCluster}).
     */
    static OwnBrokerNode start(Path dir, Path home, String name) throws IOException {
        OwnBrokerNode node = new OwnBrokerNode(dir, home, FerrySystem.freePort(), FerrySystem.freePort(),
                name + "@localhost");
        Files.createDirectories(dir);
        Files.createDirectories(home);
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        Files.writeString(dir.resolve("rabbitmq.conf"), "listeners.tcp.default = 127.0.0.1:" + node.port + "\n"
                + "loopback_users = none\n");
        node.startAgain();
        return node;
    }

    /** amqp://guest:guest@127.0.0.1:port/%2F */
    String amqpUri() {
        return "amqp://guest:guest@127.0.0.1:" + port + "/%2F";
    }

    /** Starts the node (again) and waits until it accepts AMQP connections. */
    void startAgain() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(SERVER.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile()));
        builder.environment().put("HOME", home.toString());
        builder.environment().put("RABBITMQ_NODENAME", nodeName);
        builder.environment().put("RABBITMQ_NODE_PORT", Integer.toString(port));
        builder.environment().put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        builder.environment().put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        builder.environment().put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        builder.environment().put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
        builder.environment().put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        builder.environment().put("RABBITMQ_PID_FILE", dir.resolve("pid").toString());
        launcher = builder.start();
        try {
            Awaitility.await("the test's RabbitMQ node listens on " + port).atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        if (!launcher.isAlive()) {
                            throw new AssertionError("rabbitmq-server exited: " + output());
                        }
                        return answers();
                    });
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    Path logDir() {
        return dir.resolve("log");
    }

    String nodeName() {
        return nodeName;
    }

    /** Runs {@code rabbitmqctl -n <this node> args} (same HOME, so same cookie) and returns its output. */
    String rabbitmqctl(String... args) throws IOException, InterruptedException {
        return tool("rabbitmqctl", args);
    }

    /** Runs one of RabbitMQ's CLI tools ({@code rabbitmqctl}, {@code rabbitmq-queues}) against this node. */
    String tool(String tool, String... args) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                SERVER.resolveSibling(tool).toString(), "-n", nodeName));
        command.addAll(java.util.List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(tool + " " + String.join(" ", args) + " on " + nodeName + " failed: " + out);
        }
        return out;
    }

    /** Kills the node's Erlang VM with SIGKILL (kill -9, by PID) and waits until it is gone. */
    void kill9() {
        node().ifPresent(vm -> {
            vm.destroyForcibly();
            vm.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }

    private boolean answers() {
        try (var connection = new com.rabbitmq.client.ConnectionFactory() {
            {
                setHost("127.0.0.1");
                setPort(port);
                setConnectionTimeout(2_000);
            }
        }.newConnection("ferry-it-probe")) {
            return connection.isOpen();
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
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

    /** Stops the node (SIGTERM to its VM, by PID) and waits until its port no longer answers. */
    void stop() {
        node().ifPresent(vm -> {
            vm.destroy();
            vm.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> {
                vm.destroyForcibly();
                return vm;
            }).join();
        });
        if (launcher != null && launcher.isAlive()) {
            launcher.destroy();
        }
        Awaitility.await("the test's RabbitMQ node stopped listening on " + port).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    try (Socket ignored = new Socket("127.0.0.1", port)) {
                        return false;
                    } catch (IOException e) {
                        return true;
                    }
                });
    }

    @Override
    public void close() {
        stop();
    }
}
