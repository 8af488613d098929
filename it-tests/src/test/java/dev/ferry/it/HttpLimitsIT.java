package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A whole api-gateway process on a 128 MiB heap refuses chunked bodies over its 1 MiB limit with 413 before they
 * end (5 MB, and 400 MiB, three times its heap), its heap after a collection is where it was, and it goes on
 * serving: {@code /healthz} and an honest share create still answer.
 */
class HttpLimitsIT {
    private static final long MIB = 1L << 20;
    private static FerrySystem system;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("http-limits", true, Map.of("FERRY_JAVA_OPTS", "-Xmx128m"));
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void chunkedBodiesOverTheLimitGet413WithoutGrowingTheHeap() throws Exception {
        long before = usedHeapAfterGc();

        // the body never ends (no last chunk): a gateway that read it whole before answering could not answer
        Refusal fiveMegabytes = sendChunked(5_000_000L);
        assertEquals(413, fiveMegabytes.status(), "a 5 MB chunked body is refused before it ends");

        Refusal huge = sendChunked(400 * MIB);
        assertEquals(413, huge.status(), "a 400 MiB chunked body is refused by a gateway with 128 MiB of heap");
        assertTrue(system.api().isAlive(), "the gateway survived:\n" + system.api().tail());

        long after = usedHeapAfterGc();
        System.out.printf("HttpLimitsIT: used heap after GC %d KiB before, %d KiB after; 400 MiB body answered "
                + "after %d MiB sent%n", before / 1024, after / 1024, huge.sentBeforeAnswer() / MIB);
        assertTrue(after - before < 16 * MIB,
                "the heap kept what it read: " + before / 1024 + " KiB before, " + after / 1024 + " KiB after");

        assertEquals(200, system.admin().get("/healthz").status());
        ApiClient alice = system.user("alice", "limits");
        assertEquals(200, alice.post("/v2/shares", Map.of("share", Map.of("share_proto", "NFS", "size", 1,
                "name", "honest"))).status(), "an honest create still works");
    }

    private record Refusal(int status, long sentBeforeAnswer) {
    }

    /**
     * POSTs {@code length} bytes of a JSON-looking chunked body to {@code /v2/shares}, 64 KiB a chunk, until the
     * gateway answers or closes, and never sends the last chunk; returns its status (-1: none within a minute)
     * and how much had been sent when the answer arrived.
     */
    private static Refusal sendChunked(long length) throws Exception {
        URIParts uri = URIParts.of(system.baseUrl());
        try (Socket socket = new Socket(uri.host(), uri.port())) {
            socket.setSoTimeout(60_000);
            AtomicLong sent = new AtomicLong();
            AtomicLong sentAtAnswer = new AtomicLong(-1);
            CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> {
                try {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    String line = in.readLine();
                    sentAtAnswer.set(sent.get());
                    return line == null ? -1 : Integer.parseInt(line.split(" ")[1]);
                } catch (IOException e) {
                    return -1;
                }
            });
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/shares HTTP/1.1\r\nHost: " + uri.host() + "\r\nX-Auth-Token: alice:limits\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] tail = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
            try {
                while (sent.get() < length && !status.isDone()) {
                    out.write(head);
                    out.write(chunk);
                    out.write(tail);
                    sent.addAndGet(chunk.length);
                }
                out.flush();
            } catch (IOException closedByTheGateway) {
                // the gateway answered and closed the connection while the body was still coming
            }
            return new Refusal(status.get(60, TimeUnit.SECONDS), sentAtAnswer.get());
        }
    }

    private record URIParts(String host, int port) {
        static URIParts of(String baseUrl) {
            java.net.URI uri = java.net.URI.create(baseUrl);
            return new URIParts(uri.getHost(), uri.getPort());
        }
    }

    /** The gateway's used heap right after a full collection, as {@code jcmd GC.heap_info} reports it. */
    private static long usedHeapAfterGc() throws Exception {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        // one "total …K, used …K" line per heap (G1) or generation (serial, parallel): their sum is the used heap
        Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
        long kib = 0;
        boolean found = false;
        while (used.find()) {
            kib += Long.parseLong(used.group(1));
            found = true;
        }
        assertTrue(found, "jcmd GC.heap_info printed no usage:\n" + info);
        return kib * 1024;
    }

    private static String jcmd(String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(system.api().pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "jcmd " + command + " did not finish");
        assertEquals(0, process.exitValue(), "jcmd " + command + ":\n" + output);
        return output;
    }
}
