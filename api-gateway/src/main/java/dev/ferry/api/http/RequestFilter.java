package dev.ferry.api.http;

import dev.ferry.messages.RequestContext;
import io.javalin.http.Context;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs before every handler: gives the request its id (MDC {@code request_id}, echoed in
 * {@code X-Compute-Request-Id} and {@code X-OpenStack-Request-Id}), keeps the id of the request that caused
 * it when another service sends one in {@code X-OpenStack-Request-Id} (MDC {@code global_request_id}, as
 * oslo.middleware's request_id does; only the {@code req-<uuid>} form is taken), authenticates it, and reads
 * the microversion and experimental headers. After the handler it writes one access log line.
 */
public final class RequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestFilter.class);
    private static final Set<String> PUBLIC_PATHS = Set.of("/", "/healthz", "/v2", "/v2/");
    private static final String STARTED = "ferry.started";
    static final String GLOBAL_REQUEST_ID_KEY = "global_request_id";
    private final Authenticator authenticator;

    public RequestFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    public void before(Context ctx) {
        String requestId = RequestContext.newRequestId();
        ctx.attribute(STARTED, System.nanoTime());
        ctx.attribute(Requests.REQUEST_ID, requestId);
        MDC.put("request_id", requestId);
        String sent = ctx.header("X-OpenStack-Request-Id");
        String global = sent != null && RequestContext.isRequestId(sent.trim()) ? sent.trim() : null;
        if (global != null) {
            MDC.put(GLOBAL_REQUEST_ID_KEY, global);
        } else {
            MDC.remove(GLOBAL_REQUEST_ID_KEY);
        }
        ctx.header("X-Compute-Request-Id", requestId);
        ctx.header("X-OpenStack-Request-Id", requestId);
        if (PUBLIC_PATHS.contains(ctx.path())) {
            return;
        }
        // the caller's context carries the global request id into the casts it causes, so data nodes log it too
        ctx.attribute(Requests.CALLER,
                authenticator.authenticate(ctx::header, ctx.ip(), requestId).withGlobalRequestId(global));
        ApiVersion version = ApiVersion.fromHeader(ctx.header(Requests.VERSION_HEADER));
        ctx.attribute(Requests.VERSION, version);
        ctx.header(Requests.VERSION_HEADER, version.toString());
        ctx.header("Vary", Requests.VERSION_HEADER);
        boolean experimental = RequestBodies.isTrue(ctx.header(Requests.EXPERIMENTAL_HEADER));
        ctx.attribute(Requests.EXPERIMENTAL, experimental);
        if (experimental) {
            ctx.header(Requests.EXPERIMENTAL_HEADER, "True");
        }
    }

    public void after(Context ctx) {
        Long started = ctx.attribute(STARTED);
        long millis = started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
        LOG.info("{} {} -> {} ({} ms)", ctx.method(), ctx.path(), ctx.statusCode(), millis);
        MDC.remove("request_id");
        MDC.remove(GLOBAL_REQUEST_ID_KEY);
    }
}
