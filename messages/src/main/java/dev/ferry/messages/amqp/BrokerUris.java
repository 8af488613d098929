package dev.ferry.messages.amqp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code FERRY_AMQP_URI} as one or more broker URIs separated by commas, the nodes of one RabbitMQ cluster
 * ({@code amqp://u:p@h1:5672/vh,amqp://u:p@h2:5672/vh}). Every URI must name the same scheme, user, password,
 * virtual host and query: only the host and port may differ, since one connection factory logs in to whichever
 * node answers.
 */
public record BrokerUris(List<String> uris) {
    private static final Pattern PARTS = Pattern.compile(
            "^([A-Za-z][A-Za-z0-9+.-]*)://(?:([^@/?]*)@)?([^/?]*)(/[^?]*)?(\\?.*)?$");

    public BrokerUris {
        uris = List.copyOf(uris);
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("FERRY_AMQP_URI names no broker");
        }
    }

    /** Splits and checks a comma-separated list; a single URI is taken as it is (the connector checks it). */
    public static BrokerUris parse(String value) {
        List<String> uris = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String uri = part.trim();
            if (uri.isEmpty()) {
                throw new IllegalArgumentException("FERRY_AMQP_URI has an empty entry; separate broker URIs with "
                        + "single commas");
            }
            uris.add(uri);
        }
        if (uris.size() > 1) {
            checkSameLogin(uris);
        }
        return new BrokerUris(uris);
    }

    private static void checkSameLogin(List<String> uris) {
        String[] first = null;
        for (int n = 0; n < uris.size(); n++) {
            String uri = uris.get(n);
            Matcher m = PARTS.matcher(uri);
            if (!m.matches() || m.group(3).isEmpty()) {
                // not shown: a password with a raw comma would be split and shown in part
                throw new IllegalArgumentException("FERRY_AMQP_URI entry " + (n + 1) + " of " + uris.size()
                        + " is not an AMQP URI; use amqp://user:password@host:port/vhost for each broker, "
                        + "separated by commas (write a comma in a password as %2C)");
            }
            String[] parts = {m.group(1).toLowerCase(Locale.ROOT), nullToEmpty(m.group(2)),
                nullToEmpty(m.group(4)), nullToEmpty(m.group(5))};
            if (first == null) {
                first = parts;
                continue;
            }
            String[] what = {"scheme", "user and password", "virtual host", "query"};
            for (int i = 0; i < parts.length; i++) {
                if (!parts[i].equals(first[i])) {
                    throw new IllegalArgumentException("FERRY_AMQP_URI lists brokers with a different " + what[i]
                            + " ('" + mask(uris.get(0)) + "' and '" + mask(uri) + "'); the brokers of one cluster "
                            + "take the same scheme, user, password and virtual host: only host and port may differ");
                }
            }
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The first URI: its scheme, user, password and virtual host are every URI's. */
    public String first() {
        return uris.get(0);
    }

    /** The URIs without their passwords, comma-separated, for logs and error messages. */
    public String redacted() {
        return String.join(",", uris.stream().map(BrokerUris::mask).toList());
    }

    static String mask(String text) {
        List<String> masked = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            masked.add(part.replaceAll("//([^:/@]*):[^@]*@", "//$1:***@"));
        }
        return String.join(",", masked);
    }
}
