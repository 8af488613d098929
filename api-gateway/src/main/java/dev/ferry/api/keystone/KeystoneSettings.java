package dev.ferry.api.keystone;

import dev.ferry.messages.SecretFile;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How {@code FERRY_AUTH=keystone} reaches Keystone: the Identity v3 endpoint ({@code FERRY_KEYSTONE_URL}, e.g.
 * {@code http://keystone:5000/v3}), Ferry's service user that validates callers' tokens (it needs Keystone's
 * {@code service} or {@code admin} role), and how long a validated token is believed without asking again
 * ({@code FERRY_KEYSTONE_CACHE_SECONDS}, never past the token's own expiry). The password is never printed.
 */
public record KeystoneSettings(URI identityUrl, String user, String password, String project, String userDomain,
                               String projectDomain, Duration cacheTime) {
    public static final int DEFAULT_CACHE_SECONDS = 300;
    public static final String DEFAULT_DOMAIN = "Default";

    public KeystoneSettings {
        if (identityUrl == null || identityUrl.getScheme() == null || identityUrl.getHost() == null
                || !(identityUrl.getScheme().equals("http") || identityUrl.getScheme().equals("https"))) {
            throw new IllegalArgumentException("FERRY_KEYSTONE_URL '" + identityUrl + "' is not an http(s) URL; "
                    + "give Keystone's Identity v3 endpoint, e.g. http://keystone:5000/v3");
        }
        String path = identityUrl.getPath() == null ? "" : identityUrl.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        identityUrl = identityUrl.resolve(path.isEmpty() ? "/" : path);
        require("FERRY_KEYSTONE_USER", user);
        require("FERRY_KEYSTONE_PASSWORD (or FERRY_KEYSTONE_PASSWORD_FILE)", password);
        require("FERRY_KEYSTONE_PROJECT", project);
        require("FERRY_KEYSTONE_USER_DOMAIN", userDomain);
        require("FERRY_KEYSTONE_PROJECT_DOMAIN", projectDomain);
        if (cacheTime == null || cacheTime.isNegative()) {
            throw new IllegalArgumentException("FERRY_KEYSTONE_CACHE_SECONDS must be 0 or more (default "
                    + DEFAULT_CACHE_SECONDS + ")");
        }
    }

    /** From FERRY_KEYSTONE_* settings; an IllegalArgumentException names the one that is missing or wrong. */
    public static KeystoneSettings fromEnv(Map<String, String> env) {
        String url = value(env, "FERRY_KEYSTONE_URL", null);
        if (url == null) {
            throw new IllegalArgumentException("FERRY_AUTH=keystone needs FERRY_KEYSTONE_URL: Keystone's Identity v3 "
                    + "endpoint, e.g. http://keystone:5000/v3");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FERRY_KEYSTONE_URL '" + url + "' is not a URL; give Keystone's "
                    + "Identity v3 endpoint, e.g. http://keystone:5000/v3", e);
        }
        String password = SecretFile.read(env, "FERRY_KEYSTONE_PASSWORD_FILE")
                .orElse(value(env, "FERRY_KEYSTONE_PASSWORD", null));
        String cache = value(env, "FERRY_KEYSTONE_CACHE_SECONDS", Integer.toString(DEFAULT_CACHE_SECONDS));
        long cacheSeconds;
        try {
            cacheSeconds = Long.parseLong(cache);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FERRY_KEYSTONE_CACHE_SECONDS is '" + cache + "'; give a whole number "
                    + "of seconds, e.g. " + DEFAULT_CACHE_SECONDS);
        }
        return new KeystoneSettings(uri, value(env, "FERRY_KEYSTONE_USER", null), password,
                value(env, "FERRY_KEYSTONE_PROJECT", null),
                value(env, "FERRY_KEYSTONE_USER_DOMAIN", DEFAULT_DOMAIN),
                value(env, "FERRY_KEYSTONE_PROJECT_DOMAIN", DEFAULT_DOMAIN), Duration.ofSeconds(cacheSeconds));
    }

    /** {@code <identity url>/auth/tokens}. */
    public URI tokensUrl() {
        return URI.create(identityUrl + "/auth/tokens");
    }

    /**
     * Where a client gets a token, for {@code WWW-Authenticate: Keystone uri="…"}: the Identity URL without its
     * version suffix ({@code http://keystone:5000/v3} gives {@code http://keystone:5000}), as keystonemiddleware's
     * {@code www_authenticate_uri} is usually set.
     */
    public String wwwAuthenticateUri() {
        String text = identityUrl.toString();
        return text.matches(".*/v3(\\.\\d+)?$") ? text.substring(0, text.lastIndexOf('/')) : text;
    }

    @Override
    public String toString() {
        return "KeystoneSettings[" + identityUrl + ", user " + user + "@" + userDomain + ", project " + project + "@"
                + projectDomain + ", cache " + cacheTime.toSeconds() + " s]";
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("FERRY_AUTH=keystone needs " + name + ": Ferry's service user "
                    + "validates callers' tokens (give it Keystone's service role)");
        }
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
