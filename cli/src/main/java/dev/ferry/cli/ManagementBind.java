package dev.ferry.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a process serves {@code /metrics}, {@code /healthz} and {@code /readyz}: {@code FERRY_MANAGEMENT_BIND}
 * as {@code host:port} (port 0 picks a free one), or {@code off}.
 */
public record ManagementBind(String host, int port) {
    public static final String SETTING = "FERRY_MANAGEMENT_BIND";
    /** The api-gateway's default (also {@code ferry dev}'s). */
    public static final String API_DEFAULT = "127.0.0.1:8787";
    /** A data node's default. */
    public static final String DATA_NODE_DEFAULT = "127.0.0.1:8788";

    /** The bind {@code settings} name, else {@code defaultBind}; empty when it is {@code off}. */
    public static Optional<ManagementBind> fromSettings(Map<String, String> settings, String defaultBind) {
        String value = settings.get(SETTING);
        if (value == null || value.isBlank()) {
            value = defaultBind;
        }
        value = value.trim();
        if (value.toLowerCase(Locale.ROOT).equals("off")) {
            return Optional.empty();
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException(SETTING + " is '" + value + "'; use host:port (such as "
                    + defaultBind + "; port 0 picks a free one) or off");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(SETTING + " is '" + value + "': the port must be a number from 0 to "
                    + "65535 (0 picks a free one)");
        }
        return Optional.of(new ManagementBind(host, port));
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
