package dev.ferry.cli;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "api", mixinStandardHelpOptions = true,
        description = "Runs the api-gateway: Manila's share-backup REST API, the database, the outbox relay "
                + "and the claim/status RPC servers. Configured by FERRY_* variables (see README).")
final class ApiCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        ApiGateway gateway = ApiGateway.start(ApiConfig.fromEnv(Settings.load(System.getenv())));
        return ProcessLifetime.runUntilStopped(gateway);
    }
}
