package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ferry.messages.Readiness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The management listener as an operator's probes and Prometheus see it. */
class ManagementListenerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ManagementListener.class);
    private ProcessMeters meters;
    private ManagementListener listener;

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
        meters = new ProcessMeters().up("api-gateway");
    }

    @AfterEach
    void stop() {
        logger.detachAppender(log);
        if (listener != null) {
            listener.close();
        }
        meters.close();
    }

    @Test
    void portZeroPicksAFreePortServesMetricsAndHealthAndLogsThePort() throws Exception {
        listener = ManagementListener.start(new ManagementBind("127.0.0.1", 0), meters::scrape);
        int port = listener.port();
        assertTrue(port > 0);
        assertTrue(log.list.stream().anyMatch(e -> e.getFormattedMessage()
                        .startsWith("management listener on http://127.0.0.1:" + port + " ")),
                "logged: " + log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());

        HttpResponse<String> metrics = get(port, "/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(metrics.body().contains("ferry_up{process=\"api-gateway\"} 1"), metrics.body());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM meters are there");

        HttpResponse<String> health = get(port, "/healthz");
        assertEquals(200, health.statusCode());
        assertEquals("ok\n", health.body());
        assertEquals(404, get(port, "/nothing").statusCode());
    }

    @Test
    void readyzAnswers503NamingWhatIsNotReadyAnd200WhenReady() throws Exception {
        listener = ManagementListener.start(new ManagementBind("127.0.0.1", 0), meters::scrape);
        HttpResponse<String> starting = get(listener.port(), "/readyz");
        assertEquals(503, starting.statusCode(), "not ready before the process says where readiness comes from");

        AtomicReference<Readiness> now = new AtomicReference<>(
                Readiness.notReady("broker connection not open (FERRY_AMQP_URI)"));
        listener.serveReadiness(now::get);
        HttpResponse<String> notReady = get(listener.port(), "/readyz");
        assertEquals(503, notReady.statusCode());
        assertEquals("not ready: broker connection not open (FERRY_AMQP_URI)\n", notReady.body());

        now.set(Readiness.READY);
        HttpResponse<String> ready = get(listener.port(), "/readyz");
        assertEquals(200, ready.statusCode());
        assertEquals("ready\n", ready.body());
    }

    @Test
    void offStartsNoListener() {
        Optional<ManagementListener> none = ManagementListener.startAsSet(
                Map.of(ManagementBind.SETTING, "off"), ManagementBind.API_DEFAULT, meters::scrape);
        assertTrue(none.isEmpty());
        assertTrue(log.list.isEmpty(), "nothing listens, nothing is logged");
    }

    @Test
    void aTakenPortIsRefusedWithAMessageNamingTheAddressAndTheSetting() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> ManagementListener.startAsSet(Map.of(ManagementBind.SETTING,
                            "127.0.0.1:" + taken.getLocalPort()), ManagementBind.API_DEFAULT, meters::scrape));
            assertTrue(refused.getMessage().startsWith("cannot serve the management listener on 127.0.0.1:"
                    + taken.getLocalPort() + " (FERRY_MANAGEMENT_BIND)"), refused.getMessage());
        }
    }

    @Test
    void theBindDefaultsPerProcessAndAMalformedOneSaysWhatToWrite() {
        assertEquals(Optional.of(new ManagementBind("127.0.0.1", 8788)),
                ManagementBind.fromSettings(Map.of(), ManagementBind.DATA_NODE_DEFAULT));
        assertEquals(Optional.of(new ManagementBind("0.0.0.0", 9100)),
                ManagementBind.fromSettings(Map.of(ManagementBind.SETTING, " 0.0.0.0:9100 "),
                        ManagementBind.API_DEFAULT));
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> ManagementBind.fromSettings(Map.of(ManagementBind.SETTING, "8787"), ManagementBind.API_DEFAULT));
        assertEquals("FERRY_MANAGEMENT_BIND is '8787'; use host:port (such as 127.0.0.1:8787; port 0 picks a free "
                + "one) or off", malformed.getMessage());
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
