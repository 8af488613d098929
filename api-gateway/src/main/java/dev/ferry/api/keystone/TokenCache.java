package dev.ferry.api.keystone;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Keystone said about recent tokens, keyed by the SHA-256 of the token (the token itself is never kept).
 * A valid token is believed until it expires or for {@code cacheTime}, whichever is sooner, so a revoked token
 * stops working within {@code cacheTime}; an invalid one is remembered for {@code negativeTime} (at most
 * {@code cacheTime}), so that a flood of bad tokens does not become a flood of requests to Keystone. At most
 * {@code maxEntries} tokens are held; the least recently used goes first.
 */
public final class TokenCache {
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    public static final Duration DEFAULT_NEGATIVE_TIME = Duration.ofSeconds(10);
    private final Duration cacheTime;
    private final Duration negativeTime;
    private final Clock clock;
    private final Map<String, Entry> entries;

    /** A cached answer: {@code identity} null means Keystone said the token is not valid. */
    public record Entry(KeystoneIdentity identity, Instant until) {
        public boolean valid() {
            return identity != null;
        }
    }

    public TokenCache(Duration cacheTime, Duration negativeTime, int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a token cache holds at least one entry");
        }
        this.cacheTime = cacheTime;
        this.negativeTime = negativeTime.compareTo(cacheTime) < 0 ? negativeTime : cacheTime;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The cached answer for the token whose {@link #key} this is, while it lasts. */
    public synchronized Optional<Entry> get(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.until())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    /** Keystone said the token is valid: believe it until it expires or for the cache time. */
    public synchronized void valid(String key, KeystoneIdentity identity) {
        Instant bound = clock.instant().plus(cacheTime);
        Instant until = identity.expiresAt().isBefore(bound) ? identity.expiresAt() : bound;
        put(key, new Entry(identity, until));
    }

    /** Keystone said the token is not valid: refuse it without asking for the negative time. */
    public synchronized void invalid(String key) {
        put(key, new Entry(null, clock.instant().plus(negativeTime)));
    }

    public synchronized int size() {
        return entries.size();
    }

    private void put(String key, Entry entry) {
        if (entry.until().isAfter(clock.instant())) {
            entries.put(key, entry);
        } else {
            entries.remove(key);
        }
    }

    /** The cache key of a token: its SHA-256 in hex. */
    public static String key(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
