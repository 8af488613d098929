package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.messages.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Bodies over 1 MiB are refused with 413 overLimit whatever their transfer encoding, as soon as they pass the
 * limit and without reading the rest; the client reads the 413 before the connection closes. Bodies within the
 * limit work, chunked or not.
 */
class RequestBodyLimitsApiTest extends InProcessGateway {
    private static final int MIB = 1 << 20;

    @Test
    void aChunkedBodyOverTheLimitIs413BeforeItEnds() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (RawHttp client = new RawHttp(gateway.port())) {
            client.head("POST", "/v2/share-backups", "Transfer-Encoding: chunked");
            // 5 MB in 64 KiB chunks and never the last chunk: a server that waited for the body's end never answers
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) ' ');
                try {
                    while (sent.get() < 5_000_000) {
                        client.chunk(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    // the server closed the connection after its answer: the rest is not read
                }
            });
            RawHttp.Answer answer = client.read();
            assertEquals(413, answer.status(), answer.toString());
            assertOverLimit(answer.body());
            assertTrue(answer.headers().toLowerCase().contains("connection: close"), answer.headers());
            sending.get(30, TimeUnit.SECONDS);
            client.out().write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(client.closedByServer(), "the server closes the connection after the 413");
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413BeforeAnyBodyIsSent() throws Exception {
        try (RawHttp client = new RawHttp(gateway.port())) {
            client.head("POST", "/v2/share-backups", "Content-Length: " + 5 * MIB);
            RawHttp.Answer answer = client.read();
            assertEquals(413, answer.status(), answer.toString());
            assertOverLimit(answer.body());
        }
    }

    @Test
    void aHugeChunkedBodyIsCutOffNotRead() throws Exception {
        long total = 256L * MIB;
        AtomicLong sent = new AtomicLong();
        try (RawHttp client = new RawHttp(gateway.port())) {
            client.head("POST", "/v2/share-backups", "Transfer-Encoding: chunked");
            CompletableFuture<Boolean> sending = CompletableFuture.supplyAsync(() -> {
                byte[] chunk = new byte[256 * 1024];
                Arrays.fill(chunk, (byte) ' ');
                try {
                    while (sent.get() < total) {
                        client.chunk(chunk);
                        sent.addAndGet(chunk.length);
                    }
                    client.out().write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            RawHttp.Answer answer = client.read();
            assertEquals(413, answer.status(), answer.toString());
            assertFalse(sending.get(30, TimeUnit.SECONDS), "the server stopped reading: only " + sent.get()
                    + " of " + total + " bytes could be sent");
            assertTrue(sent.get() < total / 4, sent.get() + " bytes sent");
        }
    }

    @Test
    void bodiesWithinTheLimitWorkChunkedOrNot() throws Exception {
        Share share = f.share("p1", 1, ShareStatus.AVAILABLE);
        String json = "{\"share_backup\": {\"share_id\": \"" + share.id() + "\", \"name\": \"chunked\"}}";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                        + "/v2/share-backups"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .header("X-Auth-Token", "alice:p1").header("X-OpenStack-Manila-API-Version", "2.91")
                .header("X-OpenStack-Manila-API-Experimental", "True").header("Content-Type", "application/json")
                .build();
        HttpResponse<String> created = http.send(chunked, HttpResponse.BodyHandlers.ofString());
        assertEquals(202, created.statusCode(), created.body());
        assertEquals("chunked", Json.parse(created.body()).path("share_backup").path("name").asText());

        byte[] blanks = new byte[MIB];
        Arrays.fill(blanks, (byte) ' ');
        try (RawHttp client = new RawHttp(gateway.port())) {
            client.head("POST", "/v2/share-backups", "Transfer-Encoding: chunked");
            client.chunk(Arrays.copyOf(blanks, MIB / 2));
            client.chunk(Arrays.copyOf(blanks, MIB / 2));
            client.out().write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer answer = client.read();
            assertEquals(422, answer.status(), "exactly 1 MiB, chunked, is read (and is an empty body): " + answer);
        }
        Share other = f.share("p1", 1, ShareStatus.AVAILABLE);
        ApiClient.Response plain = api.backups("POST", "/v2/share-backups")
                .body("{\"share_backup\": {\"share_id\": \"" + other.id() + "\", \"name\": \"plain\"}}").send();
        assertEquals(202, plain.status(), plain.toString());
    }

    private static void assertOverLimit(String body) throws IOException {
        JsonNode fault = Json.parse(body).path("overLimit");
        assertEquals(413, fault.path("code").asInt(), body);
        assertEquals("0", fault.path("retryAfter").asText(), body);
        assertTrue(fault.path("message").asText().contains("1048576 bytes"), body);
    }
}
