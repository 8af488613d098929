package dev.ferry.api;

import dev.ferry.messages.amqp.AmqpSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/**
 * The api-gateway's settings. {@code amqp} null runs the HTTP API and the database only: no outbox
 * relay and no RPC servers (casts stay in the outbox), which is what HTTP tests use.
 */
public record ApiConfig(String httpHost, int httpPort, String dbUrl, String dbUser, String dbPassword,
                        AmqpSettings amqp, String auth, String host) {
    public static final String DEFAULT_BIND = "127.0.0.1:8786";
    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./var/ferry-db;DB_CLOSE_ON_EXIT=FALSE";
    public static final String NOAUTH = "noauth";

    public ApiConfig {
        if (httpHost == null || httpHost.isBlank()) {
            throw new IllegalArgumentException("FERRY_HTTP_BIND has no host; expected host:port, e.g. " + DEFAULT_BIND);
        }
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("FERRY_HTTP_BIND port " + httpPort + " is out of range; expected 0-65535");
        }
        if (dbUrl == null || !(dbUrl.startsWith("jdbc:postgresql:") || dbUrl.startsWith("jdbc:h2:"))) {
            throw new IllegalArgumentException("FERRY_DB_URL '" + dbUrl + "' is not supported; expected "
                    + "jdbc:postgresql://host:5432/database or an H2 URL such as " + DEFAULT_DB_URL);
        }
        if (!NOAUTH.equals(auth)) {
            throw new IllegalArgumentException("FERRY_AUTH '" + auth + "' is not supported by this version; "
                    + "set FERRY_AUTH=noauth (tokens are <user>:<project>)");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("FERRY_HOST is empty; set it to this machine's name");
        }
    }

    /** From FERRY_* variables (a Map so tests and a properties file can supply them). */
    public static ApiConfig fromEnv(Map<String, String> env) {
        String bind = value(env, "FERRY_HTTP_BIND", DEFAULT_BIND);
        int colon = bind.lastIndexOf(':');
        if (colon <= 0 || colon == bind.length() - 1) {
            throw new IllegalArgumentException("FERRY_HTTP_BIND '" + bind + "' is not host:port, e.g. " + DEFAULT_BIND);
        }
        String httpHost = bind.substring(0, colon);
        if (httpHost.startsWith("[") && httpHost.endsWith("]")) {
            httpHost = httpHost.substring(1, httpHost.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(bind.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FERRY_HTTP_BIND '" + bind + "' has no numeric port; expected host:port, "
                    + "e.g. " + DEFAULT_BIND);
        }
        String dbUrl = value(env, "FERRY_DB_URL", DEFAULT_DB_URL);
        boolean h2 = dbUrl.startsWith("jdbc:h2:");
        String dbUser = value(env, "FERRY_DB_USER", h2 ? "sa" : "postgres");
        String dbPassword = env.getOrDefault("FERRY_DB_PASSWORD", "");
        String quorum = value(env, "FERRY_AMQP_QUORUM", "true").toLowerCase(Locale.ROOT);
        if (!quorum.equals("true") && !quorum.equals("false")) {
            throw new IllegalArgumentException("FERRY_AMQP_QUORUM is '" + quorum
                    + "'; use true (durable quorum queues) or false (oslo's classic default)");
        }
        AmqpSettings amqp = new AmqpSettings(value(env, "FERRY_AMQP_URI", AmqpSettings.DEFAULT_URI),
                value(env, "FERRY_AMQP_EXCHANGE", AmqpSettings.DEFAULT_EXCHANGE), quorum.equals("true"));
        String auth = value(env, "FERRY_AUTH", NOAUTH).toLowerCase(Locale.ROOT);
        return new ApiConfig(httpHost, port, dbUrl, dbUser, dbPassword, amqp, auth,
                value(env, "FERRY_HOST", localHostName()));
    }

    /** The same settings without a broker: HTTP and database only. */
    public ApiConfig withoutBroker() {
        return new ApiConfig(httpHost, httpPort, dbUrl, dbUser, dbPassword, null, auth, host);
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static String localHostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
