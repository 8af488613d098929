package dev.ferry.api.db;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps database passwords out of logs and error messages. {@link #redacted} masks what a URL carries:
 * {@code password=} and {@code sslpassword=} parameters (after {@code ?}, {@code &} or H2's {@code ;}, any case) and
 * the password of {@code user:password@host}. An instance also knows the secret values themselves (from the URL and
 * FERRY_DB_PASSWORD), so that a driver's message quoting them is masked too ({@link #scrub}).
 */
public final class DatabaseUrlRedaction {
    public static final String MASK = "***";
    /** Secrets shorter than this are not searched for in free text: masking every "ab" would garble messages. */
    static final int SHORTEST_SCRUBBED_SECRET = 4;
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)([?&;][A-Za-z_.-]*password=)([^&;#\\s]*)");
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/:@?#\\s]*):([^@/?#\\s]*)@");
    private final String url;
    private final List<String> secrets;

    /** {@code password} is FERRY_DB_PASSWORD (may be null or empty). */
    public DatabaseUrlRedaction(String url, String password) {
        this.url = url;
        List<String> found = new ArrayList<>();
        if (url != null) {
            collect(PASSWORD_PARAMETER.matcher(url), found);
            collect(USERINFO_PASSWORD.matcher(url), found);
        }
        if (password != null && !password.isEmpty()) {
            found.add(password);
        }
        List<String> secrets = new ArrayList<>();
        for (String secret : found) {
            secrets.add(secret);
            String decoded = decode(secret);
            if (!decoded.equals(secret)) {
                secrets.add(decoded);
            }
        }
        secrets.removeIf(s -> s.length() < SHORTEST_SCRUBBED_SECRET);
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(secrets);
    }

    /** {@code url} with every password in it replaced by {@value #MASK}; null stays null. */
    public static String redacted(String url) {
        if (url == null) {
            return null;
        }
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        return USERINFO_PASSWORD.matcher(masked).replaceAll("$1:" + Matcher.quoteReplacement(MASK) + "@");
    }

    /** This database's URL, redacted. */
    public String url() {
        return redacted(url);
    }

    /**
     * {@code text} (e.g. a driver's or Flyway's message) with the URL redacted and every known password (at least
     * {@value #SHORTEST_SCRUBBED_SECRET} characters long) replaced by {@value #MASK}; null stays null.
     */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = redacted(url == null ? text : text.replace(url, redacted(url)));
        for (String secret : secrets) {
            scrubbed = scrubbed.replace(secret, MASK);
        }
        return scrubbed;
    }

    private static void collect(Matcher matcher, List<String> into) {
        while (matcher.find()) {
            if (!matcher.group(2).isEmpty()) {
                into.add(matcher.group(2));
            }
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
