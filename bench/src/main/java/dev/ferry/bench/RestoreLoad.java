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
 * flight. Each request's latency is from sending to the whole answer read; an answer other than 202 (or no
 * answer) is counted as refused, with the first such answer kept to show.
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

    /**
     * What a run measured: the backups whose restore was accepted (202), how many were refused and the first
     * refusal (null: none), over how long, and each answered request's latency in nanoseconds.
     */
    record Result(List<String> accepted, int refused, String firstRefusal, long elapsedNanos, long[] latencies) {
        double perSecond() {
            return accepted.size() / (elapsedNanos / 1e9);
        }
    }

    /** Restores every backup of {@code backupIds} once, {@link #workers} at a time. */
    Result run(List<String> backupIds) throws Exception {
        long[] latencies = new long[backupIds.size()];
        boolean[] accepted = new boolean[backupIds.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicReference<String> firstRefusal = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            Thread thread = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < backupIds.size()) {
                    long sent = System.nanoTime();
                    try {
                        latencies[i] = restore(backupIds.get(i));
                        accepted[i] = true;
                    } catch (RefusedException | IOException e) {
                        latencies[i] = System.nanoTime() - sent;
                        refused.incrementAndGet();
                        firstRefusal.compareAndSet(null, e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
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
        List<String> acceptedIds = new ArrayList<>();
        for (int i = 0; i < accepted.length; i++) {
            if (accepted[i]) {
                acceptedIds.add(backupIds.get(i));
            }
        }
        if (acceptedIds.isEmpty()) {
            throw new IllegalStateException("no restore request was accepted; the first answer: " + firstRefusal.get());
        }
        return new Result(acceptedIds, refused.get(), firstRefusal.get(), elapsed, latencies);
    }

    /** An answer other than 202. */
    static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message);
        }
    }

    /** One restore request; answers its latency in nanoseconds. */
    long restore(String backupId) throws IOException, InterruptedException, RefusedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v2/share-backups/" + backupId + "/action"))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
                .header("Content-Type", "application/json").header("X-Auth-Token", "admin:" + ControlPlaneFerry.PROJECT)
                .header("X-OpenStack-Manila-API-Version", "2.91").header("X-OpenStack-Manila-API-Experimental", "True")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long latency = System.nanoTime() - sent;
        if (response.statusCode() != 202) {
            throw new RefusedException("POST restore of backup " + backupId + " answered "
                    + response.statusCode() + " " + response.body());
        }
        return latency;
    }
}
