package dev.ferry.cli;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import dev.ferry.api.ServiceSettings;
import dev.ferry.api.AuthModeCheck;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "api", mixinStandardHelpOptions = true,
        description = "Runs the api-gateway: Manila's share-backup REST API, the database, the outbox relay "
                + "and the claim/status RPC servers. Configured by FERRY_* variables (see README); FERRY_AUTH "
                + "must be set, and noauth listens on loopback only.")
final class ApiCommand implements Callable<Integer> {
    /** The exit status of a start refused for its settings (sysexits' EX_CONFIG). */
    static final int BAD_SETTINGS = 78;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = Settings.load(System.getenv());
        ApiConfig config;
        ServiceSettings services;
        try {
            AuthModeCheck.requireChosen(settings);
            config = ApiConfig.fromEnv(settings);
            services = ServiceSettings.fromEnv(settings);
            AuthModeCheck.requireLoopbackForNoauth(config);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("ferry api: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return BAD_SETTINGS;
        }
        ApiGateway gateway = ApiGateway.start(config, services);
        return ProcessLifetime.runUntilStopped(gateway);
    }
}
