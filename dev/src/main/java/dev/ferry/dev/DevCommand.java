package dev.ferry.dev;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import dev.ferry.api.ServiceSettings;
import dev.ferry.cli.ManagementBind;
import dev.ferry.cli.ManagementListener;
import dev.ferry.cli.ProcessLifetime;
import dev.ferry.cli.ProcessMeters;
import dev.ferry.messages.Readiness;
import dev.ferry.cli.Settings;
import dev.ferry.data.DataNode;
import dev.ferry.data.DataNodeConfig;
import dev.ferry.drivers.NfsBackupDriver;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.AmqpSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Runs the whole system in one process on embedded defaults: H2 under ./var, the API on "
                + "127.0.0.1:8786 (FERRY_AUTH=noauth), two data-manager workers, a management listener on 127.0.0.1:8787 "
                + "(FERRY_MANAGEMENT_BIND), local folders as exports. The "
                + "broker follows FERRY_DEV_BROKER: auto (FERRY_AMQP_URI if it answers, else embedded Qpid on "
                + "127.0.0.1:5673), embedded, or rabbitmq.")
final class DevCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DevCommand.class);
    static final int EMBEDDED_BROKER_PORT = 5673;

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = new HashMap<>(Settings.load(System.getenv()));
        Path var = Path.of(settings.getOrDefault("FERRY_DEV_DIR", "var")).toAbsolutePath();
        Path backups = Files.createDirectories(var.resolve("backups"));
        Files.createDirectories(var.resolve("exports"));
        Path shares = Files.createDirectories(var.resolve("shares"));
        Path mounts = Files.createDirectories(var.resolve("mnt"));
        settings.putIfAbsent("FERRY_DB_URL", "jdbc:h2:file:" + var.resolve("ferry-db") + ";DB_CLOSE_ON_EXIT=FALSE");
        settings.putIfAbsent("FERRY_BACKUP_EXPORT", backups.toString());
        settings.putIfAbsent("FERRY_SHARE_BASE_EXPORT", shares.toString());
        settings.putIfAbsent("FERRY_MOUNT_ROOT", mounts.toString());
        for (String template : List.of("FERRY_BACKUP_MOUNT_TEMPLATE", "FERRY_BACKUP_UNMOUNT_TEMPLATE",
                "FERRY_SHARE_MOUNT_TEMPLATE", "FERRY_SHARE_UNMOUNT_TEMPLATE")) {
            settings.putIfAbsent(template, "");
        }
        settings.putIfAbsent("FERRY_DATA_CONCURRENCY", "1");
        // development: tokens are <user>:<project>; the api-gateway refuses noauth on any but a loopback address
        settings.putIfAbsent("FERRY_AUTH", "noauth");

        List<AutoCloseable> running = new ArrayList<>();
        ProcessMeters meters = new ProcessMeters().up("api-gateway").up("data-manager");
        running.add(meters);
        Optional<ManagementListener> management;
        try {
            management = ManagementListener.startAsSet(settings, ManagementBind.API_DEFAULT, meters::scrape);
        } catch (IllegalArgumentException e) {
            meters.close();
            System.err.println("ferry dev: " + e.getMessage());
            return ProcessLifetime.BAD_SETTINGS;
        }
        management.ifPresent(running::add);
        List<Supplier<Readiness>> parts = new ArrayList<>();
        try {
            EmbeddedBroker broker = startBrokerIfNeeded(settings, var);
            if (broker != null) {
                running.add(broker);
            }
            ApiGateway gateway = ApiGateway.start(ApiConfig.fromEnv(settings), ServiceSettings.fromEnv(settings), null,
                    meters.registry());
            running.add(gateway);
            parts.add(gateway::readiness);
            for (int worker = 1; worker <= 2; worker++) {
                Map<String, String> workerSettings = new HashMap<>(settings);
                workerSettings.put("FERRY_HOST", "dev-worker-" + worker);
                DataNodeConfig config = DataNodeConfig.fromEnv(workerSettings);
                DataNode node = DataNode.start(config, new NfsBackupDriver(config.driver()), meters.registry());
                running.add(node);
                parts.add(node::readiness);
            }
        } catch (Exception | Error e) {
            for (int i = running.size() - 1; i >= 0; i--) {
                closeQuietly(running.get(i));
            }
            throw e;
        }
        management.ifPresent(listener -> listener.serveReadiness(
                () -> Readiness.allOf(parts.stream().map(Supplier::get).toList())));
        LOG.info("ferry dev is ready: API on http://{}, exports under {}, new shares in {}, backups in {} "
                + "(Ctrl-C stops it)", settings.getOrDefault("FERRY_HTTP_BIND", "127.0.0.1:8786"), var.resolve("exports"),
                settings.get("FERRY_SHARE_BASE_EXPORT"), backups);
        return ProcessLifetime.runUntilStopped(running.toArray(AutoCloseable[]::new));
    }

    private static EmbeddedBroker startBrokerIfNeeded(Map<String, String> settings, Path var) throws Exception {
        String mode = settings.getOrDefault("FERRY_DEV_BROKER", "auto").trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "rabbitmq" -> {
                return null;
            }
            case "auto" -> {
                AmqpSettings amqp = AmqpSettings.fromEnv(settings);
                if (answers(amqp)) {
                    LOG.info("using the broker at {}", amqp.redactedUri());
                    return null;
                }
                LOG.info("no broker answers at {}; starting an embedded one", amqp.redactedUri());
            }
            case "embedded" -> LOG.info("starting the embedded broker");
            default -> throw new IllegalArgumentException("FERRY_DEV_BROKER is '" + mode
                    + "'; use auto, embedded or rabbitmq");
        }
        int port = Integer.parseInt(settings.getOrDefault("FERRY_DEV_BROKER_PORT",
                Integer.toString(EMBEDDED_BROKER_PORT)).trim());
        EmbeddedBroker broker = EmbeddedBroker.start(port, Files.createDirectories(var.resolve("qpid")));
        settings.put("FERRY_AMQP_URI", broker.amqpUri());
        settings.put("FERRY_AMQP_QUORUM", "false");
        LOG.info("embedded AMQP 0-9-1 broker (Apache Qpid Broker-J, classic queues) on {}", broker.amqpUri());
        return broker;
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
        }
    }

    private static boolean answers(AmqpSettings amqp) {
        try (var connection = new AmqpConnector(amqp).open("ferry-dev-probe")) {
            return connection.isOpen();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
