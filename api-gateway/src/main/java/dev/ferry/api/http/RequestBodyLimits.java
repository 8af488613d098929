package dev.ferry.api.http;

import io.javalin.config.JavalinConfig;

/**
 * How the API limits request bodies: {@link BufferedBodyHandler} reads each body into memory before the routes
 * see it, answers 413 over {@code maxBytes} and 408 to a body that arrives slower than {@code minBytesPerSecond}
 * (a second or more after its first byte). Jetty's own minimum data rate stays off: it checks again each time a
 * route reads the body, which by then comes from memory, and it has no grace period, so a tiny body (17 bytes of
 * {@code {"restore": null}}) failed whenever the reading thread paused 17 ms between two reads (a busy CPU, a
 * garbage collection), and an honest request was answered 500.
 */
final class RequestBodyLimits {
    private RequestBodyLimits() {
    }

    static void apply(JavalinConfig config, long maxBytes, long minBytesPerSecond) {
        config.http.maxRequestSize = maxBytes;
        config.jetty.modifyServer(server -> server.insertHandler(new BufferedBodyHandler(maxBytes, minBytesPerSecond)));
    }
}
