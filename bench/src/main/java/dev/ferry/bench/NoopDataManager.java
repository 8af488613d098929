package dev.ferry.bench;

import dev.ferry.data.DataNode;
import dev.ferry.data.DataNodeConfig;

import java.util.concurrent.CountDownLatch;

/**
 * A data node whose backup driver copies nothing ({@link NoopBackupDriver}), configured from the same
 * {@code FERRY_*} variables as {@code ferry data-manager} (no management listener). Started by
 * {@code bench/control-plane} as a process of its own per node; prints {@link #READY} once its slots consume, and
 * drains and exits on SIGTERM.
 */
public final class NoopDataManager {
    static final String READY = "noop data node consuming";

    private NoopDataManager() {
    }

    public static void main(String[] args) throws Exception {
        DataNodeConfig config = DataNodeConfig.fromEnv(System.getenv());
        DataNode node = DataNode.start(config, new NoopBackupDriver());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "ferry-bench-node-stop"));
        System.out.println(READY + " as " + config.host());
        System.out.flush();
        stopped.await();
    }
}
