package dev.ferry.messages.amqp;

/**
 * Where the broker is and how to declare: {@code quorum} true declares durable quorum queues and a
 * durable exchange (oslo's {@code rabbit_quorum_queue=true}); false declares exactly like oslo's
 * classic default (non-durable exchange and topic queues).
 */
public record AmqpSettings(String uri, String exchange, boolean quorum) {
    public static final String DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672/%2F";
    public static final String DEFAULT_EXCHANGE = "openstack";

    public AmqpSettings {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("FERRY_AMQP_URI is empty; set it to e.g. " + DEFAULT_URI);
        }
        if (exchange == null || exchange.isBlank()) {
            throw new IllegalArgumentException("FERRY_AMQP_EXCHANGE is empty; oslo's default is 'openstack'");
        }
    }

    /**
     * Reads {@code FERRY_AMQP_URI}, {@code FERRY_AMQP_EXCHANGE} and {@code FERRY_AMQP_QUORUM} (default
     * true) from a map of settings (the environment merged over the properties file).
     */
    public static AmqpSettings fromEnv(java.util.Map<String, String> env) {
        String quorum = env.getOrDefault("FERRY_AMQP_QUORUM", "true").trim().toLowerCase(java.util.Locale.ROOT);
        if (!quorum.equals("true") && !quorum.equals("false")) {
            throw new IllegalArgumentException("FERRY_AMQP_QUORUM is '" + quorum
                    + "'; use true (durable quorum queues) or false (oslo's classic default)");
        }
        return new AmqpSettings(env.getOrDefault("FERRY_AMQP_URI", DEFAULT_URI),
                env.getOrDefault("FERRY_AMQP_EXCHANGE", DEFAULT_EXCHANGE), quorum.equals("true"));
    }

    /** The URI without its password, for logs and error messages. */
    public String redactedUri() {
        return uri.replaceAll("//([^:/@]*):[^@]*@", "//$1:***@");
    }

    /**
     * {@code text} (e.g. the AMQP client's message about the URI) with the URI redacted and the URI's password, as
     * written and decoded, replaced by {@code ***}; null stays null.
     */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text.replace(uri, redactedUri());
        java.util.regex.Matcher password = java.util.regex.Pattern.compile("//[^:/@]*:([^@]*)@").matcher(uri);
        if (password.find() && !password.group(1).isEmpty()) {
            String raw = password.group(1);
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
}
