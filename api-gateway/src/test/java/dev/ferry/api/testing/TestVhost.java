package dev.ferry.api.testing;

import dev.ferry.messages.amqp.AmqpSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ vhost of its own for one test class, on the broker at FERRY_IT_AMQP_HOST (default 127.0.0.1)
 * port 5672, created with {@code rabbitmqctl add_vhost} and deleted afterwards with everything in it. Without
 * a broker or rabbitmqctl the tests skip with the reason (fail when FERRY_IT_REQUIRE_SERVICES=1).
 */
public final class TestVhost implements AutoCloseable {
    private final String host = env("FERRY_IT_AMQP_HOST", "127.0.0.1");
    private final String name = "ferry-t-" + UUID.randomUUID().toString().substring(0, 8);
    private boolean created;

    public static TestVhost create() {
        TestVhost vhost = new TestVhost();
        vhost.open();
        return vhost;
    }

    private void open() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, 5672), 2_000);
        } catch (IOException e) {
            RequiredServices.skipOrFail("RabbitMQ does not answer at " + host + ":5672 (" + e.getMessage()
                    + "); start it, or set FERRY_IT_AMQP_HOST, to run these tests");
        }
        String failure = rabbitmqctl("add_vhost", name);
        if (failure == null) {
            created = true;
            failure = rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
        }
        if (failure != null) {
            close();
            RequiredServices.skipOrFail("cannot create a RabbitMQ vhost for the test: " + failure);
        }
    }

    public String name() {
        return name;
    }

    /** Ferry's settings for this vhost: guest, exchange openstack, quorum queues. */
    public AmqpSettings settings() {
        return new AmqpSettings("amqp://guest:guest@" + host + ":5672/" + name, "openstack", true);
    }

    /** Null when the command succeeded, else what went wrong. */
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

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
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
