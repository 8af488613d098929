package dev.ferry.api.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How the API's HTTP server treats connections. {@code idleTimeout} ({@code FERRY_HTTP_IDLE_TIMEOUT_SECONDS},
 * default 30) closes a connection on which nothing arrives for that long; {@code minRequestBytesPerSecond}
 * ({@code FERRY_HTTP_MIN_REQUEST_BYTES_PER_SECOND}, default 1024; 0 turns the check off) answers 408 to a request
 * whose body arrives slower than that, counted from its first byte; {@code maxThreads}
 * ({@code FERRY_HTTP_MAX_THREADS}, default 200) bounds the threads that serve requests. {@code tlsCertFile} and
 * {@code tlsKeyFile} ({@code FERRY_HTTP_TLS_CERT_FILE}, {@code FERRY_HTTP_TLS_KEY_FILE}: PEM) turn the API port
 * into HTTPS only; both or neither must be given.
 */
public record HttpServerSettings(Duration idleTimeout, long minRequestBytesPerSecond, int maxThreads,
                                 Path tlsCertFile, Path tlsKeyFile) {
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    public static final long DEFAULT_MIN_REQUEST_BYTES_PER_SECOND = 1024;
    public static final int DEFAULT_MAX_THREADS = 200;
    public static final HttpServerSettings DEFAULTS = new HttpServerSettings(
            Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS), DEFAULT_MIN_REQUEST_BYTES_PER_SECOND,
            DEFAULT_MAX_THREADS, null, null);

    public HttpServerSettings {
        if (idleTimeout == null || idleTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("FERRY_HTTP_IDLE_TIMEOUT_SECONDS is " + idleTimeout
                    + "; it must be at least 1 second (default " + DEFAULT_IDLE_TIMEOUT_SECONDS + ")");
        }
        if (minRequestBytesPerSecond < 0) {
            throw new IllegalArgumentException("FERRY_HTTP_MIN_REQUEST_BYTES_PER_SECOND is " + minRequestBytesPerSecond
                    + "; give bytes per second, or 0 to accept bodies however slowly they arrive (default "
                    + DEFAULT_MIN_REQUEST_BYTES_PER_SECOND + ")");
        }
        if (maxThreads < 16) {
            throw new IllegalArgumentException("FERRY_HTTP_MAX_THREADS is " + maxThreads + "; it must be at least 16 "
                    + "(default " + DEFAULT_MAX_THREADS + ")");
        }
        if ((tlsCertFile == null) != (tlsKeyFile == null)) {
            throw new IllegalArgumentException(tlsCertFile == null
                    ? "FERRY_HTTP_TLS_KEY_FILE is set but FERRY_HTTP_TLS_CERT_FILE is not; for HTTPS set both (PEM "
                    + "certificate chain and private key), for plain HTTP neither"
                    : "FERRY_HTTP_TLS_CERT_FILE is set but FERRY_HTTP_TLS_KEY_FILE is not; for HTTPS set both (PEM "
                    + "certificate chain and private key), for plain HTTP neither");
        }
    }

    /** Whether the API port speaks HTTPS only. */
    public boolean tls() {
        return tlsCertFile != null;
    }

    /** The same settings with HTTPS from these PEM files. */
    public HttpServerSettings withTls(Path certFile, Path keyFile) {
        return new HttpServerSettings(idleTimeout, minRequestBytesPerSecond, maxThreads, certFile, keyFile);
    }

    /** The same settings with another idle timeout and minimum request data rate. */
    public HttpServerSettings withSlowClientLimits(Duration idleTimeout, long minRequestBytesPerSecond) {
        return new HttpServerSettings(idleTimeout, minRequestBytesPerSecond, maxThreads, tlsCertFile, tlsKeyFile);
    }

    /** From FERRY_HTTP_* variables. */
    public static HttpServerSettings fromEnv(Map<String, String> env) {
        return new HttpServerSettings(
                Duration.ofSeconds(number(env, "FERRY_HTTP_IDLE_TIMEOUT_SECONDS", DEFAULT_IDLE_TIMEOUT_SECONDS,
                        "a whole number of seconds")),
                number(env, "FERRY_HTTP_MIN_REQUEST_BYTES_PER_SECOND", DEFAULT_MIN_REQUEST_BYTES_PER_SECOND,
                        "a number of bytes per second"),
                (int) number(env, "FERRY_HTTP_MAX_THREADS", DEFAULT_MAX_THREADS, "a number of threads"),
                path(env, "FERRY_HTTP_TLS_CERT_FILE"), path(env, "FERRY_HTTP_TLS_KEY_FILE"));
    }

    private static long number(Map<String, String> env, String name, long fallback, String what) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(text.trim());
            if (n >= 0 && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(name + " is '" + text + "'; give " + what + ", e.g. " + fallback);
    }

    private static Path path(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : Path.of(value.trim());
    }
}
