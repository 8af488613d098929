package dev.ferry.messages.amqp;

import dev.ferry.messages.SecretFile;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where the broker is and how to declare: {@code quorum} true declares durable quorum queues and a
 * durable exchange (oslo's {@code rabbit_quorum_queue=true}); false declares exactly like oslo's
 * classic default (non-durable exchange and topic queues). {@code password}, when not null, replaces the
 * password in the URI ({@code FERRY_AMQP_PASSWORD_FILE}); {@code caFile}, when not null, is the PEM file of
 * the certificate authorities an {@code amqps://} broker's certificate must chain to
 * ({@code FERRY_AMQP_CA_FILE}; the JVM's trust store otherwise). {@code uri} may list the nodes of a cluster,
 * separated by commas ({@link BrokerUris}).
 */
public record AmqpSettings(String uri, String exchange, boolean quorum, String password, Path caFile) {
    public static final String DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672/%2F";
    public static final String DEFAULT_EXCHANGE = "openstack";

    public AmqpSettings {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("FERRY_AMQP_URI is empty; set it to e.g. " + DEFAULT_URI);
        }
        if (exchange == null || exchange.isBlank()) {
            throw new IllegalArgumentException("FERRY_AMQP_EXCHANGE is empty; oslo's default is 'openstack'");
        }
        BrokerUris.parse(uri);
        if (caFile != null && !tls(uri)) {
            throw new IllegalArgumentException("FERRY_AMQP_CA_FILE is set, but FERRY_AMQP_URI '" + maskUri(uri)
                    + "' is not amqps://; use amqps://host:5671/... so the broker's certificate is checked");
        }
    }

    public AmqpSettings(String uri, String exchange, boolean quorum) {
        this(uri, exchange, quorum, null, null);
    }

    /**
     * Reads {@code FERRY_AMQP_URI}, {@code FERRY_AMQP_EXCHANGE}, {@code FERRY_AMQP_QUORUM} (default
     * true), {@code FERRY_AMQP_PASSWORD_FILE} and {@code FERRY_AMQP_CA_FILE} from a map of settings (the
     * environment merged over the properties file).
     */
    public static AmqpSettings fromEnv(Map<String, String> env) {
        String quorum = env.getOrDefault("FERRY_AMQP_QUORUM", "true").trim().toLowerCase(Locale.ROOT);
        if (!quorum.equals("true") && !quorum.equals("false")) {
            throw new IllegalArgumentException("FERRY_AMQP_QUORUM is '" + quorum
                    + "'; use true (durable quorum queues) or false (oslo's classic default)");
        }
        return new AmqpSettings(env.getOrDefault("FERRY_AMQP_URI", DEFAULT_URI),
                env.getOrDefault("FERRY_AMQP_EXCHANGE", DEFAULT_EXCHANGE), quorum.equals("true"))
                .withFilesFrom(env);
    }

    /** These settings with the password and CA file that {@code FERRY_AMQP_PASSWORD_FILE} and {@code FERRY_AMQP_CA_FILE} name. */
    public AmqpSettings withFilesFrom(Map<String, String> env) {
        String ca = env.get("FERRY_AMQP_CA_FILE");
        return new AmqpSettings(uri, exchange, quorum,
                SecretFile.read(env, "FERRY_AMQP_PASSWORD_FILE").orElse(password),
                ca == null || ca.isBlank() ? caFile : Path.of(ca.trim()));
    }

    /** The broker URIs {@code uri} lists (one or more). */
    public BrokerUris brokers() {
        return BrokerUris.parse(uri);
    }

    /** True for {@code amqps://}: TLS, with the broker's certificate and host name verified. */
    public boolean tls() {
        return tls(uri);
    }

    private static boolean tls(String uri) {
        return uri.trim().toLowerCase(Locale.ROOT).startsWith("amqps:");
    }

    /** The URI (every URI of a list) without its password, for logs and error messages. */
    public String redactedUri() {
        return maskUri(uri);
    }

    private static String maskUri(String uri) {
        return BrokerUris.mask(uri);
    }

    /**
     * {@code text} (e.g. the AMQP client's message about the URI) with the URI redacted and the password (the URI's,
     * as written and decoded, or the one from FERRY_AMQP_PASSWORD_FILE) replaced by {@code ***}; null stays null.
     */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text.replace(uri, redactedUri());
        for (String one : uri.split(",")) {
            if (!one.isBlank()) {
                redacted = redacted.replace(one.trim(), maskUri(one.trim()));
            }
        }
        if (password != null && password.length() >= 4) {
            redacted = redacted.replace(password, "***");
        }
        java.util.regex.Matcher inUri = java.util.regex.Pattern.compile("//[^:/@]*:([^@]*)@").matcher(uri);
        while (inUri.find()) {
            String raw = inUri.group(1);
            if (raw.isEmpty()) {
                continue;
            }
            redacted = redacted.replace(raw, "***");
            try {
                redacted = redacted.replace(java.net.URLDecoder.decode(raw, java.nio.charset.StandardCharsets.UTF_8),
                        "***");
            } catch (IllegalArgumentException e) {
                // not percent-encoded: the raw form is masked already
            }
        }
        return redacted;
    }

    /** Never shows a password. */
    @Override
    public String toString() {
        return "AmqpSettings[uri=" + redactedUri() + ", exchange=" + exchange + ", quorum=" + quorum
                + ", password=" + (password == null ? "from the URI" : "***") + ", caFile=" + caFile + "]";
    }
}
