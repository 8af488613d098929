package dev.ferry.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the benchmarks' Ferry fixtures ({@link LocalFerry}, {@link ControlPlaneFerry}) do with the processes they
 * start: free ports, the machine's PostgreSQL as its admin, waiting for a process to be ready (failing with the
 * end of its log), and stopping it by its PID.
 */
final class BenchProcesses {
    private BenchProcesses() {
    }

    /** A condition waited for; may throw (e.g. reading a log that is not there yet). */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Runs {@code sql} on the PostgreSQL at 127.0.0.1:5432 as {@code postgres}. */
    static void psql(String sql) throws IOException, InterruptedException {
        Commands.run("psql", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", "postgres", "-q", "-v",
                "ON_ERROR_STOP=1", "-c", sql);
    }

    /** True when {@code healthz} answers 200 within 5 s. */
    static boolean healthy(HttpClient http, URI healthz) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(healthz).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Polls {@code check} every 100 ms until it holds; fails, with the end of {@code log}, when {@code process}
     * (called {@code name}) exits first or {@code timeout} passes.
     */
    static void awaitUntil(String what, Duration timeout, Process process, String name, Path log, Check check)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue() + " before "
                        + what + "; its log:\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + timeout + " for " + what + "; the log of " + name + ":\n"
                        + tail(log));
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM, then SIGKILL when it has not exited after 30 s. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String tail(Path log) throws IOException {
        String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
