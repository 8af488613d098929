package dev.ferry.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Keeps a server process alive until SIGTERM or SIGINT, then closes what it runs (in reverse order of
 * start) and exits 0, so a container runtime or systemd sees a clean stop. A shutdown hook covers any
 * other way the JVM is asked to stop.
 */
public final class ProcessLifetime {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessLifetime.class);
    /** The exit status of a start refused for its settings (sysexits' EX_CONFIG). */
    public static final int BAD_SETTINGS = 78;

    private ProcessLifetime() {
    }

    public static int runUntilStopped(AutoCloseable... services) {
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), s -> {
                LOG.info("SIG{} received: stopping", s.getName());
                stopRequested.countDown();
            });
        }
        Thread hook = new Thread(() -> {
            stopRequested.countDown();
            awaitQuietly(stopped);
        }, "ferry-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        awaitQuietly(stopRequested);
        for (int i = services.length - 1; i >= 0; i--) {
            try {
                services[i].close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}: {}", services[i].getClass().getSimpleName(), e.toString());
            }
        }
        LOG.info("stopped");
        stopped.countDown();
        return 0;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
