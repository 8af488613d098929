package dev.ferry.it;

import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real RabbitMQ and PostgreSQL the it-tests use ({@code FERRY_IT_AMQP_URI}, {@code FERRY_IT_DB_URL}).
 * When one does not answer, tests skip with the reason, unless {@code FERRY_IT_REQUIRE_SERVICES=1}
 * (set by .ci/run), which makes them fail. Each test class gets its own vhost and database.
 */
final class Services {
    static final String AMQP_URI = env("FERRY_IT_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/%2F");
    static final String DB_URL = env("FERRY_IT_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String DB_USER = env("FERRY_IT_DB_USER", "postgres");
    static final String DB_PASSWORD = env("FERRY_IT_DB_PASSWORD", "");

    private Services() {
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static void require() {
        String missing = null;
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(AMQP_URI);
            factory.setConnectionTimeout(3000);
            factory.newConnection("ferry-it-probe").close();
        } catch (Exception e) {
            missing = "RabbitMQ at " + AMQP_URI + " does not answer (" + e.getMessage() + ")";
        }
        if (missing == null) {
            try (Connection ignored = DriverManager.getConnection(DB_URL, DB_USER, DB_PASSWORD)) {
                // answers
            } catch (SQLException e) {
                missing = "PostgreSQL at " + DB_URL + " does not answer (" + e.getMessage() + ")";
            }
        }
        if (missing != null) {
            if ("1".equals(System.getenv("FERRY_IT_REQUIRE_SERVICES"))) {
                Assertions.fail(missing + "; FERRY_IT_REQUIRE_SERVICES=1 makes that a failure");
            }
            Assumptions.abort(missing + "; start it, or set FERRY_IT_AMQP_URI / FERRY_IT_DB_URL");
        }
    }

    /** A fresh vhost on the test broker (through rabbitmqctl), with guest's permissions. */
    static String newVhost(String prefix) throws IOException, InterruptedException {
        String vhost = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        rabbitmqctl("add_vhost", vhost);
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        return vhost;
    }

    static void deleteVhost(String vhost) throws IOException, InterruptedException {
        rabbitmqctl("delete_vhost", vhost);
    }

    /** FERRY_IT_AMQP_URI with its vhost replaced. */
    static String amqpUri(String vhost) {
        URI base = URI.create(AMQP_URI);
        return base.getScheme() + "://" + base.getRawUserInfo() + "@" + base.getHost() + ":" + base.getPort() + "/"
                + URLEncoder.encode(vhost, StandardCharsets.UTF_8);
    }

    /** The same broker as an oslo.messaging transport URL. */
    static String osloUrl(String vhost) {
        URI base = URI.create(AMQP_URI);
        return "rabbit://" + base.getRawUserInfo() + "@" + base.getHost() + ":" + base.getPort() + "/" + vhost;
    }

    /** Stops the RabbitMQ application (the Erlang node stays up), as in a broker outage. */
    static void stopBroker() throws IOException, InterruptedException {
        rabbitmqctl("stop_app");
    }

    static void startBroker() throws IOException, InterruptedException {
        rabbitmqctl("start_app");
        rabbitmqctl("await_startup");
    }

    /** Starts the local PostgreSQL cluster unless it already runs. */
    static void ensurePostgresRunning() throws IOException, InterruptedException {
        Process ready = new ProcessBuilder("pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432").start();
        if (!ready.waitFor(30, TimeUnit.SECONDS) || ready.exitValue() != 0) {
            postgres("start");
        }
    }

    /** Stops or starts the local PostgreSQL cluster (pg_ctlcluster, as root). */
    static void postgres(String action) throws IOException, InterruptedException {
        String[] versions = new java.io.File("/etc/postgresql").list();
        if (versions == null || versions.length == 0) {
            throw new IOException("no PostgreSQL cluster under /etc/postgresql");
        }
        run("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", action);
    }

    static void rabbitmqctl(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "rabbitmqctl";
        System.arraycopy(args, 0, command, 1, args.length);
        run(command);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    /** A fresh PostgreSQL database; returns its JDBC URL. */
    static String newDatabase() throws SQLException {
        String name = "ferry_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(DB_URL, DB_USER, DB_PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return DB_URL.substring(0, DB_URL.lastIndexOf('/') + 1) + name;
    }

    static void dropDatabase(String url) throws SQLException {
        String name = url.substring(url.lastIndexOf('/') + 1);
        try (Connection connection = DriverManager.getConnection(DB_URL, DB_USER, DB_PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
