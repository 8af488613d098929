package dev.ferry.data;

import dev.ferry.messages.amqp.AmqpSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A RabbitMQ vhost of its own for one test class, on the broker at FERRY_IT_AMQP_HOST (default 127.0.0.1) port 5672,
 * made with {@code rabbitmqctl add_vhost} and deleted afterwards with everything in it. Without a broker or
 * rabbitmqctl the tests skip saying why, or fail when FERRY_IT_REQUIRE_SERVICES=1.
 */
final class BrokerVhost implements AutoCloseable {
    private final String host = System.getenv().getOrDefault("FERRY_IT_AMQP_HOST", "127.0.0.1");
    private final String name = "ferry-dm-" + UUID.randomUUID().toString().substring(0, 8);
    private boolean created;

    static BrokerVhost create() {
        BrokerVhost vhost = new BrokerVhost();
        vhost.open();
        return vhost;
    }

    private void open() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, 5672), 2_000);
        } catch (IOException e) {
            skipOrFail("RabbitMQ does not answer at " + host + ":5672 (" + e.getMessage() + ")");
        }
        String failure = rabbitmqctl("add_vhost", name);
        if (failure == null) {
            created = true;
            failure = rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
        }
        if (failure != null) {
            close();
            skipOrFail("cannot create a RabbitMQ vhost for the test: " + failure);
        }
    }

    /** guest on this vhost, exchange openstack, quorum queues. */
    AmqpSettings settings() {
        return new AmqpSettings("amqp://guest:guest@" + host + ":5672/" + name, "openstack", true);
    }

    private static void skipOrFail(String reason) {
        if ("1".equals(System.getenv("FERRY_IT_REQUIRE_SERVICES"))) {
            Assertions.fail(reason + " (FERRY_IT_REQUIRE_SERVICES=1)");
        }
        Assumptions.abort(reason);
    }

    private static String rabbitmqctl(String... args) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish within 60 s";
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0 ? null
                    : String.join(" ", command) + " exited " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return "cannot run rabbitmqctl (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while running rabbitmqctl";
        }
    }

    @Override
    public void close() {
        if (created) {
            String failure = rabbitmqctl("delete_vhost", name);
            if (failure != null) {
                System.err.println("could not delete test vhost " + name + ": " + failure);
            }
            created = false;
        }
    }
}
