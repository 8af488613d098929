package dev.ferry.api.http;

import dev.ferry.api.service.ApiError;
import dev.ferry.messages.RequestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tokens}: static tokens from FERRY_TOKENS_FILE, stored as SHA-256 hashes, one a line:
 * {@code <sha256 hex> <user> <project> <role,role,...>}; blank lines and lines starting with {@code #} are
 * ignored. The file is looked at again at most once per {@code checkInterval} and reloaded when its content
 * changed; a reload that finds it unreadable or malformed keeps the last good tokens and logs an error.
 */
public final class TokensAuthenticator implements Authenticator {
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(TokensAuthenticator.class);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String FORMAT = "<sha256 hex> <user> <project> <role,role,...>";
    private final Path file;
    private final long checkIntervalNanos;
    private volatile Map<String, Identity> tokens;
    private volatile long lastCheck;
    private String loadedDigest;
    private String lastProblem;

    private record Identity(String user, String project, List<String> roles) {
    }

    private TokensAuthenticator(Path file, Duration checkInterval, Map<String, Identity> tokens, String digest) {
        this.file = file;
        this.checkIntervalNanos = checkInterval.toNanos();
        this.tokens = tokens;
        this.loadedDigest = digest;
        this.lastCheck = System.nanoTime();
    }

    /** Loads the file; an IllegalArgumentException names FERRY_TOKENS_FILE, the file and the line at fault. */
    public static TokensAuthenticator load(Path file, Duration checkInterval) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("FERRY_TOKENS_FILE " + file + " cannot be read (" + e + "); "
                    + "create it with one line per token: " + FORMAT, e);
        }
        Map<String, Identity> tokens = parse(file, content);
        if (tokens.isEmpty()) {
            LOG.warn("FERRY_TOKENS_FILE {} holds no tokens: every request will be refused until one is added", file);
        }
        LOG.info("FERRY_TOKENS_FILE {}: {} tokens", file, tokens.size());
        return new TokensAuthenticator(file, checkInterval, tokens, sha256(content));
    }

    @Override
    public RequestContext authenticate(Function<String, String> headers, String peerAddress, String requestId) {
        refreshIfDue();
        String token = headers.apply("X-Auth-Token");
        if (token == null || token.isBlank()) {
            throw ApiError.unauthorized("Authentication required: send the header X-Auth-Token with your token "
                    + "(this server runs with FERRY_AUTH=tokens).");
        }
        Identity identity = tokens.get(sha256(token.trim().getBytes(StandardCharsets.UTF_8)));
        if (identity == null) {
            throw ApiError.unauthorized("The token in X-Auth-Token is not known (FERRY_AUTH=tokens): check it, or "
                    + "ask an operator to add its SHA-256 to FERRY_TOKENS_FILE.");
        }
        return Authenticator.context(identity.user(), identity.project(), null, identity.roles(), requestId,
                peerAddress);
    }

    private void refreshIfDue() {
        if (System.nanoTime() - lastCheck < checkIntervalNanos) {
            return;
        }
        synchronized (this) {
            if (System.nanoTime() - lastCheck < checkIntervalNanos) {
                return;
            }
            lastCheck = System.nanoTime();
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (IOException e) {
                problem("FERRY_TOKENS_FILE " + file + " cannot be read (" + e + ")");
                return;
            }
            String digest = sha256(content);
            if (digest.equals(loadedDigest)) {
                lastProblem = null;
                return;
            }
            try {
                tokens = parse(file, content);
                loadedDigest = digest;
                lastProblem = null;
                LOG.info("FERRY_TOKENS_FILE {} reloaded: {} tokens", file, tokens.size());
            } catch (IllegalArgumentException e) {
                problem(e.getMessage());
            }
        }
    }

    /** Logs a reload problem once (not on every request while it lasts). */
    private void problem(String message) {
        if (!message.equals(lastProblem)) {
            LOG.error("{}; keeping the {} tokens loaded before", message, tokens.size());
            lastProblem = message;
        }
    }

    /** The tokens by hash; a malformed line is an IllegalArgumentException that names it (not its content). */
    private static Map<String, Identity> parse(Path file, byte[] content) {
        Map<String, Identity> tokens = new HashMap<>();
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "FERRY_TOKENS_FILE " + file + " line " + (i + 1);
            String[] fields = line.split("\\s+");
            if (fields.length != 4) {
                throw new IllegalArgumentException(where + " has " + fields.length + " fields; expected 4: " + FORMAT);
            }
            if (!SHA256_HEX.matcher(fields[0]).matches()) {
                throw new IllegalArgumentException(where + ": the first field is not a SHA-256 in hex (64 digits); "
                        + "store the token's hash, made with: printf %s \"$TOKEN\" | sha256sum");
            }
            List<String> roles = Arrays.stream(fields[3].split(",")).map(String::trim).filter(r -> !r.isEmpty())
                    .toList();
            if (roles.isEmpty()) {
                throw new IllegalArgumentException(where + " lists no roles; expected e.g. member,reader");
            }
            if (tokens.put(fields[0].toLowerCase(Locale.ROOT), new Identity(fields[1], fields[2], roles)) != null) {
                throw new IllegalArgumentException(where + " repeats a hash from an earlier line; each token "
                        + "may appear once");
            }
        }
        return Map.copyOf(tokens);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
