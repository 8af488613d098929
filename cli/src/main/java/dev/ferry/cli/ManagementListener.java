package dev.ferry.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.messages.Readiness;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's management listener ({@code FERRY_MANAGEMENT_BIND}): {@code GET /metrics} (Prometheus text format
 * 0.0.4), {@code /healthz} (200 {@code ok} while the process lives) and {@code /readyz} (200 when what it
 * serves from is ready, else 503 naming what is not). Answers "starting" with 503 until told where readiness
 * comes from ({@link #serveReadiness}).
 */
public final class ManagementListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementListener.class);
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final HttpServer server;
    private final ExecutorService threads;
    private final Supplier<String> metrics;
    private volatile Supplier<Readiness> readiness = () -> Readiness.notReady("starting");

    private ManagementListener(HttpServer server, ExecutorService threads, Supplier<String> metrics) {
        this.server = server;
        this.threads = threads;
        this.metrics = metrics;
    }

    /**
     * Listens on {@code bind}, answering {@code /metrics} with {@code metrics} (the registry's scrape). An address
     * that cannot be bound (taken, or not this host's) is an IllegalArgumentException naming it and the setting.
     */
    public static ManagementListener start(ManagementBind bind, Supplier<String> metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind.host(), bind.port()), 16);
        } catch (BindException e) {
            throw new IllegalArgumentException("cannot serve the management listener on " + bind + " ("
                    + ManagementBind.SETTING + "): " + e.getMessage() + "; is another process using it? Set "
                    + ManagementBind.SETTING + " to a free host:port, 127.0.0.1:0 for any free port, or off");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serve the management listener on " + bind + " ("
                    + ManagementBind.SETTING + "): " + e.getMessage());
        }
        AtomicInteger number = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "ferry-management-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        ManagementListener listener = new ManagementListener(server, threads, metrics);
        server.createContext("/", listener::handle);
        server.setExecutor(threads);
        server.start();
        LOG.info("management listener on http://{}:{} (/metrics, /healthz, /readyz)",
                bind.host().contains(":") ? "[" + bind.host() + "]" : bind.host(), listener.port());
        return listener;
    }

    /**
     * The listener {@code FERRY_MANAGEMENT_BIND} in {@code settings} asks for (else {@code defaultBind}), started;
     * empty when it is {@code off}. IllegalArgumentException when the setting is malformed or its address taken.
     */
    public static Optional<ManagementListener> startAsSet(Map<String, String> settings, String defaultBind,
                                                          Supplier<String> metrics) {
        return ManagementBind.fromSettings(settings, defaultBind).map(bind -> start(bind, metrics));
    }

    /** From now on {@code /readyz} answers what {@code source} says. */
    public ManagementListener serveReadiness(Supplier<Readiness> source) {
        this.readiness = source;
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
                return;
            }
            switch (path) {
                case "/metrics" -> send(exchange, 200, METRICS_CONTENT_TYPE, metrics.get());
                case "/healthz" -> send(exchange, 200, "text/plain; charset=utf-8", "ok\n");
                case "/readyz" -> {
                    Readiness now = readinessNow();
                    send(exchange, now.ready() ? 200 : 503, "text/plain; charset=utf-8",
                            (now.ready() ? "ready" : "not ready: " + now.reason()) + "\n");
                }
                default -> send(exchange, 404, "text/plain; charset=utf-8",
                        "not found; this listener serves /metrics, /healthz and /readyz\n");
            }
        } catch (RuntimeException e) {
            LOG.warn("management listener: {} {} failed: {}", exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), e.toString());
            LOG.debug("management listener failure", e);
        }
    }

    private Readiness readinessNow() {
        try {
            return readiness.get();
        } catch (RuntimeException e) {
            return Readiness.notReady("readiness check failed: " + e.getMessage());
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
