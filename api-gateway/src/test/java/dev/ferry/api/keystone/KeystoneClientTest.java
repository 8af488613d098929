package dev.ferry.api.keystone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.api.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a small fake Keystone on 127.0.0.1 speaking the two calls Ferry makes. */
class KeystoneClientTest {
    private final TestClock clock = new TestClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Map<String, String> userTokens = new ConcurrentHashMap<>();
    private final List<String> serviceTokens = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger issued = new AtomicInteger();
    private volatile int failWith;
    private HttpServer server;
    private KeystoneClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v3/auth/tokens", this::handle);
        server.start();
        client = new KeystoneClient(settings(server.getAddress().getPort()), registry, clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static KeystoneSettings settings(int port) {
        return new KeystoneSettings(URI.create("http://127.0.0.1:" + port + "/v3"), "ferry", "s3cr3t", "service",
                "Default", "Default", Duration.ofSeconds(300));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        int status;
        String method = exchange.getRequestMethod();
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (failWith != 0) {
            status = failWith;
            body = "{}";
        } else if (method.equals("POST")) {
            assertTrue(request.contains("\"s3cr3t\"") && request.contains("\"service\""), request);
            String token = "svc-" + issued.incrementAndGet();
            serviceTokens.add(token);
            exchange.getResponseHeaders().add("X-Subject-Token", token);
            status = 201;
            body = "{\"token\":{\"expires_at\":\"" + clock.instant().plus(Duration.ofHours(1)) + "\"}}";
        } else if (!serviceTokens.contains(exchange.getRequestHeaders().getFirst("X-Auth-Token"))) {
            status = 401;
            body = "{\"error\":{\"code\":401}}";
        } else {
            String user = userTokens.get(exchange.getRequestHeaders().getFirst("X-Subject-Token"));
            status = user == null ? 404 : 200;
            body = user == null ? "{\"error\":{\"code\":404}}" : "{\"token\":{\"expires_at\":\"2099-01-01T00:00:00"
                    + ".000000Z\",\"user\":{\"id\":\"u-" + user + "\",\"name\":\"" + user + "\"},\"project\":{\"id\":"
                    + "\"p-1\",\"name\":\"demo\"},\"roles\":[{\"id\":\"r1\",\"name\":\"member\"},{\"id\":\"r2\","
                    + "\"name\":\"reader\"}]}}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private double count(String outcome) {
        return registry.get("ferry.keystone.requests").tag("outcome", outcome).counter().count();
    }

    @Test
    void oneServiceTokenValidatesManyTokens() {
        userTokens.put("tok-a", "alice");
        for (int i = 0; i < 5; i++) {
            KeystoneIdentity alice = client.validate("tok-a").orElseThrow();
            assertEquals("u-alice", alice.userId());
            assertEquals("p-1", alice.projectId());
            assertEquals(List.of("member", "reader"), alice.roles());
            assertEquals(Instant.parse("2099-01-01T00:00:00Z"), alice.expiresAt());
        }
        assertTrue(client.validate("tok-unknown").isEmpty());
        assertEquals(1, issued.get());
        assertEquals(1, count("token_issued"));
        assertEquals(5, count("valid"));
        assertEquals(1, count("invalid"));
    }

    @Test
    void theServiceTokenIsRenewedBeforeItExpires() {
        userTokens.put("tok-a", "alice");
        client.validate("tok-a");
        clock.advance(Duration.ofHours(1).minus(KeystoneClient.RENEW_BEFORE).minusSeconds(1));
        client.validate("tok-a");
        assertEquals(1, issued.get());
        clock.advance(Duration.ofSeconds(1));
        client.validate("tok-a");
        assertEquals(2, issued.get());
    }

    @Test
    void aServiceTokenKeystoneNoLongerAcceptsIsReplacedOnce() {
        userTokens.put("tok-a", "alice");
        client.validate("tok-a");
        serviceTokens.clear();
        assertEquals("alice", client.validate("tok-a").orElseThrow().userName());
        assertEquals(2, issued.get());
    }

    @Test
    void keystoneFailingOrRefusingTheServiceUserIsUnavailableNotInvalid() {
        failWith = 500;
        KeystoneUnavailableException failing = assertThrows(KeystoneUnavailableException.class,
                () -> client.validate("tok-a"));
        assertTrue(failing.getMessage().contains("HTTP 500"), failing.getMessage());
        failWith = 401;
        KeystoneUnavailableException refused = assertThrows(KeystoneUnavailableException.class,
                () -> client.validate("tok-a"));
        assertTrue(refused.getMessage().contains("check FERRY_KEYSTONE_USER"), refused.getMessage());
        assertTrue(!refused.getMessage().contains("s3cr3t"), "the password is never repeated");
    }

    @Test
    void anUnreachableKeystoneIsUnavailable() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        KeystoneClient nowhere = new KeystoneClient(settings(closed), registry, clock);
        KeystoneUnavailableException down = assertThrows(KeystoneUnavailableException.class,
                () -> nowhere.validate("tok-a"));
        assertTrue(down.getMessage().contains("could not be reached"), down.getMessage());
        assertEquals(1, count("unavailable"));
    }
}
