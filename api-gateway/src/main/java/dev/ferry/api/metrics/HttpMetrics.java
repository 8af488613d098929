package dev.ferry.api.metrics;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code ferry_http_requests_seconds{method,route,status}}: each API request, timed from the first filter to the
 * last, labelled by the route template it matched ({@code /v2/{project_id}/share-backups/{backup_id}}), never the
 * raw path, so that ids do not become labels; {@code unmatched} when no route matched.
 */
public final class HttpMetrics {
    private static final String STARTED = "ferry.metrics.started";
    private final MeterRegistry registry;

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void before(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
    }

    public void after(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        Timer.builder("ferry.http.requests").description("API requests by route template, method and status")
                .tag("method", ctx.method().name()).tag("route", route(ctx))
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(registry).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static String route(Context ctx) {
        try {
            Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            return matched == null ? "unmatched" : matched.path;
        } catch (RuntimeException none) {
            return "unmatched";
        }
    }
}
