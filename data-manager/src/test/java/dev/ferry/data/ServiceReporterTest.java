package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import dev.ferry.drivers.NfsBackupDriver;
import dev.ferry.drivers.NfsDriverConfig;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.ServiceReport;
import dev.ferry.messages.ServiceReport.RestorePair;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceReporterTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<ServiceReport> sent = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private ServiceReport decode(RpcRequest request) {
        try {
            return ServiceReport.fromArgs(request.args());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theNfsDriverAdvertisesNfsToNfsAndItsRestoreToTargetSetting(@TempDir Path backups) {
        NfsDriverConfig config = NfsDriverConfig.local(backups);
        assertEquals(new DriverCapabilities(config.restoreToTarget(), List.of(new RestorePair("NFS", "NFS"))),
                DriverCapabilities.of(new NfsBackupDriver(config)));
        assertFalse(DriverCapabilities.of(new NfsBackupDriver(config.withRestoreToTarget(false))).restoreToTarget());
    }

    @Test
    void aNodeReportsAtOnceThenAsOftenAsAskedAndSaysWhenItStops() {
        AtomicBoolean ready = new AtomicBoolean(true);
        DriverCapabilities nfs = new DriverCapabilities(true, List.of(new RestorePair("NFS", "NFS")));
        ServiceReporter reporter = new ServiceReporter("node-a", nfs, ready::get, (request, timeout) -> {
            sent.add(decode(request));
            return ServiceReport.reply(Duration.ofMillis(200));
        }, timer).start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() >= 3);
        ServiceReport first = sent.get(0);
        assertEquals("node-a", first.host());
        assertEquals(ServiceReport.State.UP, first.state());
        assertTrue(first.restoreToTarget());
        assertEquals(nfs.restorePairs(), first.restorePairs());

        ready.set(false);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sent.get(sent.size() - 1).state() == ServiceReport.State.STOPPING);
        reporter.stop();
        int after = sent.size();
        assertEquals(ServiceReport.State.STOPPING, sent.get(after - 1).state(), "the last report says it stops");
        reporter.stop();
        assertEquals(after, sent.size(), "stopping twice reports once");
    }

    @Test
    void aReportWithoutAnswerIsTriedAgain() {
        AtomicBoolean gatewayUp = new AtomicBoolean(false);
        ServiceReporter reporter = new ServiceReporter("node-b", new DriverCapabilities(false, List.of()), () -> true,
                (request, timeout) -> {
                    sent.add(decode(request));
                    if (!gatewayUp.get()) {
                        throw new IOException("no api-gateway");
                    }
                    return ServiceReport.reply(Duration.ofMillis(200));
                }, timer);
        assertEquals(ServiceReporter.DEFAULT_INTERVAL, reporter.report(ServiceReport.State.UP),
                "without an answer, the next try comes after the default interval");
        gatewayUp.set(true);
        assertEquals(Duration.ofMillis(200), reporter.report(ServiceReport.State.UP));
        assertEquals(2, sent.size());
    }
}
