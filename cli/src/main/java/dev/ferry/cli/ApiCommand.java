package dev.ferry.cli;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import dev.ferry.api.ServiceSettings;
import dev.ferry.api.AuthModeCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "api", mixinStandardHelpOptions = true,
        description = "Runs the api-gateway: Manila's share-backup REST API, the database, the outbox relay "
                + "and the claim/status RPC servers, and a management listener (FERRY_MANAGEMENT_BIND, default "
                + ManagementBind.API_DEFAULT + ": /metrics, /healthz, /readyz). Configured by FERRY_* variables "
                + "(see README); FERRY_AUTH must be set, and noauth listens on loopback only.")
final class ApiCommand implements Callable<Integer> {
    /** The exit status of a start refused for its settings (sysexits' EX_CONFIG). */
    static final int BAD_SETTINGS = ProcessLifetime.BAD_SETTINGS;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = Settings.load(System.getenv());
        ApiConfig config;
        ServiceSettings services;
        ProcessMeters meters = new ProcessMeters().up("api-gateway");
        Optional<ManagementListener> management;
        try {
            AuthModeCheck.requireChosen(settings);
            config = ApiConfig.fromEnv(settings);
            services = ServiceSettings.fromEnv(settings);
            AuthModeCheck.requireLoopbackForNoauth(config);
            management = ManagementListener.startAsSet(settings, ManagementBind.API_DEFAULT, meters::scrape);
        } catch (IllegalArgumentException e) {
            meters.close();
            spec.commandLine().getErr().println("ferry api: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return BAD_SETTINGS;
        }
        List<AutoCloseable> running = new ArrayList<>(List.of(meters));
        management.ifPresent(running::add);
        ApiGateway gateway;
        try {
            gateway = ApiGateway.start(config, services, null, meters.registry());
        } catch (Exception | Error e) {
            management.ifPresent(ManagementListener::close);
            meters.close();
            throw e;
        }
        management.ifPresent(listener -> listener.serveReadiness(gateway::readiness));
        running.add(gateway);
        return ProcessLifetime.runUntilStopped(running.toArray(AutoCloseable[]::new));
    }
}
