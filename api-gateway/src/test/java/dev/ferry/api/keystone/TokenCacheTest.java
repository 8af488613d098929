package dev.ferry.api.keystone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.testing.TestClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token cache's bounds: the token's expiry, the cache time, the negative time and the size. No Keystone. */
class TokenCacheTest {
    private final TestClock clock = new TestClock();

    private KeystoneIdentity expiringIn(Duration lifetime) {
        return new KeystoneIdentity("u-1", "alice", "p-1", "demo", List.of("member"), clock.instant().plus(lifetime));
    }

    @Test
    void aValidTokenIsBelievedForTheCacheTimeWhenItExpiresLater() {
        TokenCache cache = new TokenCache(Duration.ofSeconds(300), Duration.ofSeconds(10), 100, clock);
        cache.valid("k", expiringIn(Duration.ofHours(1)));
        clock.advance(Duration.ofSeconds(299));
        assertTrue(cache.get("k").orElseThrow().valid());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(cache.get("k").isEmpty(), "after the cache time Keystone is asked again (revocation bound)");
    }

    @Test
    void aValidTokenIsBelievedOnlyUntilItExpiresWhenThatIsSooner() {
        TokenCache cache = new TokenCache(Duration.ofSeconds(300), Duration.ofSeconds(10), 100, clock);
        cache.valid("k", expiringIn(Duration.ofSeconds(30)));
        clock.advance(Duration.ofSeconds(29));
        assertTrue(cache.get("k").isPresent());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(cache.get("k").isEmpty(), "an expired token is never answered from the cache");
    }

    @Test
    void anAlreadyExpiredTokenIsNotCached() {
        TokenCache cache = new TokenCache(Duration.ofSeconds(300), Duration.ofSeconds(10), 100, clock);
        cache.valid("k", expiringIn(Duration.ofSeconds(-1)));
        assertTrue(cache.get("k").isEmpty());
        assertEquals(0, cache.size());
    }

    @Test
    void anInvalidTokenIsRememberedForTheNegativeTimeOnly() {
        TokenCache cache = new TokenCache(Duration.ofSeconds(300), Duration.ofSeconds(10), 100, clock);
        cache.invalid("bad");
        clock.advance(Duration.ofSeconds(9));
        assertFalse(cache.get("bad").orElseThrow().valid());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(cache.get("bad").isEmpty(), "a token that becomes valid is not refused for long");
    }

    @Test
    void theNegativeTimeNeverExceedsTheCacheTime() {
        TokenCache cache = new TokenCache(Duration.ofSeconds(2), Duration.ofSeconds(10), 100, clock);
        cache.invalid("bad");
        clock.advance(Duration.ofSeconds(2));
        assertTrue(cache.get("bad").isEmpty());
    }

    @Test
    void aZeroCacheTimeCachesNothing() {
        TokenCache cache = new TokenCache(Duration.ZERO, Duration.ofSeconds(10), 100, clock);
        cache.valid("k", expiringIn(Duration.ofHours(1)));
        cache.invalid("bad");
        assertTrue(cache.get("k").isEmpty());
        assertTrue(cache.get("bad").isEmpty());
    }

    @Test
    void whenFullTheLeastRecentlyUsedTokenGoesFirst() {
        TokenCache cache = new TokenCache(Duration.ofSeconds(300), Duration.ofSeconds(10), 2, clock);
        cache.valid("a", expiringIn(Duration.ofHours(1)));
        cache.valid("b", expiringIn(Duration.ofHours(1)));
        cache.get("a");
        cache.invalid("c");
        assertEquals(2, cache.size());
        assertTrue(cache.get("a").isPresent());
        assertTrue(cache.get("b").isEmpty());
        assertTrue(cache.get("c").isPresent());
    }

    @Test
    void theKeyIsTheTokensSha256NotTheToken() {
        String key = TokenCache.key("gAAAAAB-secret");
        assertEquals(64, key.length());
        assertFalse(key.contains("secret"));
        assertEquals(key, TokenCache.key("gAAAAAB-secret"));
        assertFalse(key.equals(TokenCache.key("gAAAAAB-secres")));
    }
}
