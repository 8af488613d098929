package dev.ferry.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an api-gateway may start with: {@code ferry api} never picks an authentication mode by itself
 * ({@link #requireChosen}: FERRY_AUTH must be set), and {@code noauth}, where the token {@code admin:<anything>}
 * is an admin, only listens on loopback ({@link #requireLoopbackForNoauth}: 127.0.0.0/8, ::1 or
 * {@code localhost}), which is how {@code ferry dev} runs. A refusal is an IllegalArgumentException whose
 * message says what to set.
 */
public final class AuthModeCheck {
    private static final String WHAT_TO_SET = "set FERRY_AUTH=tokens (with FERRY_TOKENS_FILE, a file of hashed "
            + "tokens: <sha256 hex> <user> <project> <role,role,...>), FERRY_AUTH=keystone (Keystone tokens, with "
            + "FERRY_KEYSTONE_URL and a service user) or FERRY_AUTH=keystone-proxy (behind an authenticating proxy "
            + "listed in FERRY_TRUSTED_PROXIES); noauth is for development on 127.0.0.1 only";
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private AuthModeCheck() {
    }

    /** Refuses settings without FERRY_AUTH: the operator chooses how callers are identified. */
    public static void requireChosen(Map<String, String> settings) {
        String auth = settings.get("FERRY_AUTH");
        if (auth == null || auth.isBlank()) {
            throw new IllegalArgumentException("FERRY_AUTH is not set: " + WHAT_TO_SET + ".");
        }
    }

    /** Refuses {@code noauth} on any address but loopback. */
    public static void requireLoopbackForNoauth(ApiConfig config) {
        if (ApiConfig.NOAUTH.equals(config.auth()) && !isLoopback(config.httpHost())) {
            throw new IllegalArgumentException("FERRY_AUTH=noauth is refused on FERRY_HTTP_BIND="
                    + bind(config) + ": with noauth anyone who reaches the API is an admin (token admin:<anything>), "
                    + "so it only listens on loopback (127.0.0.1, ::1 or localhost). To serve others, " + WHAT_TO_SET
                    + ".");
        }
    }

    /**
     * Whether {@code host} (as FERRY_HTTP_BIND gives it, IPv6 without brackets) is a loopback address: an IP
     * literal in 127.0.0.0/8 or ::1, or {@code localhost}. Other names are not resolved: they are not loopback.
     */
    static boolean isLoopback(String host) {
        String name = host.trim().toLowerCase(Locale.ROOT);
        if (name.equals("localhost")) {
            return true;
        }
        if (!IPV4_LITERAL.matcher(name).matches() && !name.contains(":")) {
            return false;
        }
        try {
            // an IP literal: parsed, never looked up
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String bind(ApiConfig config) {
        String host = config.httpHost().contains(":") ? "[" + config.httpHost() + "]" : config.httpHost();
        return host + ":" + config.httpPort();
    }
}
