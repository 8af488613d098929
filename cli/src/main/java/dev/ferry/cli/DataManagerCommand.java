package dev.ferry.cli;

import dev.ferry.data.DataNode;
import dev.ferry.data.DataNodeConfig;
import dev.ferry.drivers.NfsBackupDriver;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "data-manager", mixinStandardHelpOptions = true,
        description = "Runs a data node: consumes restore and backup casts from manila-data and does the copies. "
                + "Needs FERRY_BACKUP_EXPORT; holds AMQP credentials only, never the database's.")
final class DataManagerCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        DataNodeConfig config = DataNodeConfig.fromEnv(Settings.load(System.getenv()));
        DataNode node = DataNode.start(config, new NfsBackupDriver(config.driver()));
        return ProcessLifetime.runUntilStopped(node);
    }
}
