package dev.ferry.api.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * The address clients reach this API at, which every {@code href} in a response starts with: {@code FERRY_PUBLIC_URL}
 * when it is set (e.g. the load balancer's {@code https://ferry.example.com}), else {@code <scheme>://<bind host>:<port>},
 * with this machine's host name when the API is bound to all addresses. Never the request's {@code Host} header,
 * which any client can set to anything.
 */
public final class PublicUrl {
    private final String scheme;
    private final String host;
    private final int port;
    private final String path;
    private final IntSupplier boundPort;

    private PublicUrl(String scheme, String host, int port, String path, IntSupplier boundPort) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.path = path;
        this.boundPort = boundPort;
    }

    /**
     * {@code setting} (FERRY_PUBLIC_URL) when it is not blank, else the bind address: {@code scheme} ({@code http},
     * or {@code https} when the API serves TLS), {@code bindHost} (this machine's host name for 0.0.0.0 and ::)
     * and {@code port}.
     */
    public static PublicUrl of(String setting, String scheme, String bindHost, int port) {
        return setting == null || setting.isBlank() ? ofBind(scheme, bindHost, port) : parse(setting);
    }

    /** FERRY_PUBLIC_URL: an absolute http(s) URL, optionally with a path prefix; IllegalArgumentException else. */
    public static PublicUrl parse(String setting) {
        String text = setting.strip();
        String hint = "; set it to the URL clients use to reach this API, e.g. https://ferry.example.com or "
                + "http://ferry.example.com:8786 (no query, fragment or user name)";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("FERRY_PUBLIC_URL '" + text + "' is not a URL (" + e.getReason() + ")"
                    + hint, e);
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("FERRY_PUBLIC_URL '" + text + "' is not an http or https URL" + hint);
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("FERRY_PUBLIC_URL '" + text + "' is not a plain base URL" + hint);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new PublicUrl(scheme, uri.getHost(), uri.getPort(), path, null);
    }

    /** {@code scheme://bindHost:port}; this machine's host name in place of 0.0.0.0, :: and an empty host. */
    public static PublicUrl ofBind(String scheme, String bindHost, int port) {
        String host = bindHost == null ? "" : bindHost.strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
            host = machineName();
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return new PublicUrl(scheme.toLowerCase(Locale.ROOT), host, port, "", null);
    }

    /**
     * This URL, where a port of 0 (bind to any free port, as tests do) means the port {@code bound} gives once the
     * server listens. A URL with a real port (or FERRY_PUBLIC_URL's) is returned as it is.
     */
    public PublicUrl onBoundPort(IntSupplier bound) {
        return port == 0 ? new PublicUrl(scheme, host, port, path, bound) : this;
    }

    public String scheme() {
        return scheme;
    }

    /** {@code scheme://host[:port][/path]}, without a trailing slash: links append {@code /v2/...} to it. */
    public String base() {
        int shown = boundPort != null ? boundPort.getAsInt() : port;
        return scheme + "://" + host + (shown < 0 ? "" : ":" + shown) + path;
    }

    @Override
    public String toString() {
        return base();
    }

    private static String machineName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String fromEnv = System.getenv("HOSTNAME");
            return fromEnv == null || fromEnv.isBlank() ? "localhost" : fromEnv;
        }
    }
}
