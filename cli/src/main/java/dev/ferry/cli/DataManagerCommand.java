package dev.ferry.cli;

import dev.ferry.data.DataNode;
import dev.ferry.data.DataNodeConfig;
import dev.ferry.drivers.NfsBackupDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "data-manager", mixinStandardHelpOptions = true,
        description = "Runs a data node: consumes restore and backup casts from manila-data and does the copies, "
                + "with a management listener (FERRY_MANAGEMENT_BIND, default " + ManagementBind.DATA_NODE_DEFAULT
                + ": /metrics, /healthz, /readyz). Needs FERRY_BACKUP_EXPORT; holds AMQP credentials only, never "
                + "the database's.")
final class DataManagerCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = Settings.load(System.getenv());
        DataNodeConfig config = DataNodeConfig.fromEnv(settings);
        ProcessMeters meters = new ProcessMeters().up("data-manager");
        Optional<ManagementListener> management;
        try {
            management = ManagementListener.startAsSet(settings, ManagementBind.DATA_NODE_DEFAULT, meters::scrape);
        } catch (IllegalArgumentException e) {
            meters.close();
            spec.commandLine().getErr().println("ferry data-manager: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return ProcessLifetime.BAD_SETTINGS;
        }
        List<AutoCloseable> running = new ArrayList<>(List.of(meters));
        management.ifPresent(running::add);
        DataNode node;
        try {
            node = DataNode.start(config, new NfsBackupDriver(config.driver()), meters.registry());
        } catch (Exception | Error e) {
            management.ifPresent(ManagementListener::close);
            meters.close();
            throw e;
        }
        management.ifPresent(listener -> listener.serveReadiness(node::readiness));
        running.add(node);
        return ProcessLifetime.runUntilStopped(running.toArray(AutoCloseable[]::new));
    }
}
