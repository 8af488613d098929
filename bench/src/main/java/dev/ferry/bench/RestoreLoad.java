package dev.ferry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load generator: {@code workers} threads on one JDK {@link HttpClient} (HTTP/1.1, keep-alive, 127.0.0.1),
 * each sending {@code POST /v2/share-backups/{id}/action {"restore": null}} (in place) for the next backup of the
 * list as soon as its previous request was answered: a closed loop, so at most {@code workers} requests are in
 * flight. Every answer must be 202; each request's latency is from sending to the whole answer read.
 */
final class RestoreLoad {
    private static final String BODY = "{\"restore\": null}";

    private final URI base;
    private final int workers;
    private final HttpClient http;

    RestoreLoad(URI base, int workers) {
        this.base = base;
        this.workers = workers;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    int workers() {
        return workers;
    }

    /** What a run measured: how many were accepted over how long, and each request's latency in nanoseconds. */
    record Result(int accepted, long elapsedNanos, long[] latencies) {
        double perSecond() {
            return accepted / (elapsedNanos / 1e9);
        }
    }

    /** Restores every backup of {@code backupIds} once, {@link #workers} at a time. */
    Result run(List<String> backupIds) throws Exception {
        long[] latencies = new long[backupIds.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            Thread thread = new Thread(() -> {
                int i;
                while (failure.get() == null && (i = next.getAndIncrement()) < backupIds.size()) {
                    try {
                        latencies[i] = restore(backupIds.get(i));
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }, "ferry-bench-load-" + w);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - start;
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Result(backupIds.size(), elapsed, latencies);
    }

    /** One restore request; answers its latency in nanoseconds. */
    long restore(String backupId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v2/share-backups/" + backupId + "/action"))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
                .header("Content-Type", "application/json").header("X-Auth-Token", "admin:" + ControlPlaneFerry.PROJECT)
                .header("X-OpenStack-Manila-API-Version", "2.91").header("X-OpenStack-Manila-API-Experimental", "True")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long latency = System.nanoTime() - sent;
        if (response.statusCode() != 202) {
            throw new IllegalStateException("POST restore of backup " + backupId + " answered "
                    + response.statusCode() + " " + response.body() + " (expected 202)");
        }
        return latency;
    }
}
