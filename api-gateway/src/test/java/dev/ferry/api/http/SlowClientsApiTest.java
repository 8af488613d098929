package dev.ferry.api.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 300 connections that trickle a body byte by byte (more than the API's threads) do not slow {@code /healthz} or
 * an honest request: no thread waits for their bytes, and each is answered 408 and closed once its body is
 * slower than the minimum data rate. A connection that sends nothing is closed after the idle timeout.
 */
class SlowClientsApiTest extends InProcessGateway {
    private static final int TRICKLERS = 300;

    @Override
    protected ApiConfig config(ApiConfig noauth) {
        return noauth.withHttpServer(HttpServerSettings.DEFAULTS.withSlowClientLimits(Duration.ofSeconds(3), 1024));
    }

    @Test
    void tricklingBodiesDoNotSlowHealthzAndAreDropped() throws Exception {
        // The trickle runs while the connections are being opened: a connection that waited for all 300 to open
        // before its first body byte could reach the idle timeout (a different 408) instead of the rate check.
        List<RawHttp> tricklers = new CopyOnWriteArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            trickle.scheduleWithFixedDelay(() -> {
                for (RawHttp client : tricklers) {
                    try {
                        client.out().write('{');
                        client.out().flush();
                    } catch (IOException e) {
                        // dropped by the server
                    }
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            for (int i = 0; i < TRICKLERS; i++) {
                RawHttp client = new RawHttp(gateway.port());
                client.head("POST", "/v2/share-backups", "Content-Length: 100000");
                tricklers.add(client);
            }

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest healthz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).build();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            int probes = 0;
            while (System.nanoTime() < until || probes < 10) {
                probes++;
                long started = System.nanoTime();
                HttpResponse<String> r = http.send(healthz, HttpResponse.BodyHandlers.ofString());
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(millis < 1000, "/healthz #" + probes + " took " + millis + " ms while " + TRICKLERS
                        + " bodies trickle");
            }
            Share share = f.share("p1", 1, ShareStatus.AVAILABLE);
            ApiClient.Response honest = api.backups("POST", "/v2/share-backups")
                    .body("{\"share_backup\": {\"share_id\": \"" + share.id() + "\"}}").send();
            assertEquals(202, honest.status(), honest.toString());

            for (RawHttp client : tricklers) {
                RawHttp.Answer answer = client.read();
                assertEquals(408, answer.status(), answer.toString());
                assertTrue(answer.body().contains("slower than 1024 bytes per second"), answer.body());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> tricklers.stream().allMatch(RawHttp::closedByServer));
        } finally {
            trickle.shutdownNow();
            for (RawHttp client : tricklers) {
                client.close();
            }
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawHttp silent = new RawHttp(gateway.port())) {
            silent.out().write("POST /v2/share-backups HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            silent.out().flush();
            long started = System.nanoTime();
            assertTrue(silent.closedByServer(), "closed within the socket's 15 s read timeout");
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            assertTrue(seconds >= 2 && seconds < 10, "closed after " + seconds + " s, the idle timeout is 3 s");
        }
        ApiClient.Response r = api.call("GET", "/healthz").send();
        assertEquals(200, r.status(), r.toString());
    }
}
