package dev.ferry.api.keystone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.service.ApiError;
import dev.ferry.api.testing.TestClock;
import dev.ferry.messages.RequestContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** keystone mode's authenticator over a fake Keystone that the test controls (no HTTP). */
class KeystoneTokenAuthenticatorTest {
    private final TestClock clock = new TestClock();
    private final FakeKeystone keystone = new FakeKeystone();
    private final KeystoneTokenAuthenticator auth = new KeystoneTokenAuthenticator(keystone,
            new TokenCache(Duration.ofSeconds(60), Duration.ofSeconds(5), 1000, clock), "http://keystone:5000");

    /** Tokens Keystone knows; asks counts the questions it was asked. */
    private final class FakeKeystone implements TokenValidator {
        final Map<String, KeystoneIdentity> tokens = new HashMap<>();
        final AtomicInteger asks = new AtomicInteger();
        volatile boolean down;

        @Override
        public Optional<KeystoneIdentity> validate(String token) {
            asks.incrementAndGet();
            if (down) {
                throw new KeystoneUnavailableException("Keystone at http://keystone:5000/v3 could not be reached");
            }
            return Optional.ofNullable(tokens.get(token));
        }

        void issue(String token, String user, String project, String... roles) {
            tokens.put(token, new KeystoneIdentity("id-" + user, user, project == null ? null : "id-" + project,
                    project, List.of(roles), clock.instant().plus(Duration.ofHours(1))));
        }
    }

    private RequestContext call(String token) {
        Map<String, String> headers = token == null ? Map.of() : Map.of("X-Auth-Token", token);
        return auth.authenticate(headers::get, "192.0.2.1", "req-1");
    }

    private ApiError refused(String token) {
        return assertThrows(ApiError.class, () -> call(token));
    }

    @Test
    void aValidTokenIsTheUserInItsProjectAndIsAskedAboutOnce() {
        keystone.issue("tok-member", "alice", "demo", "member", "reader");
        for (int i = 0; i < 100; i++) {
            RequestContext caller = call("tok-member");
            assertEquals("id-alice", caller.userId());
            assertEquals("id-demo", caller.projectId());
            assertEquals("demo", caller.projectName());
            assertEquals(List.of("member", "reader"), caller.roles());
            assertFalse(caller.isAdmin());
        }
        assertEquals(1, keystone.asks.get());
    }

    @Test
    void aRevokedTokenStopsWorkingWithinTheCacheTime() {
        keystone.issue("tok", "alice", "demo", "member");
        call("tok");
        keystone.tokens.remove("tok");
        clock.advance(Duration.ofSeconds(59));
        assertEquals("id-alice", call("tok").userId(), "still believed inside the cache time");
        clock.advance(Duration.ofSeconds(1));
        ApiError refused = refused("tok");
        assertEquals(401, refused.status());
        assertTrue(refused.getMessage().contains("not valid (unknown, expired or revoked)"), refused.getMessage());
        assertEquals(2, keystone.asks.get());
    }

    @Test
    void aFloodOfBadTokensAsksKeystoneOncePerTokenAndNegativeTime() {
        for (int i = 0; i < 50; i++) {
            assertEquals(401, refused("bogus").status());
        }
        assertEquals(1, keystone.asks.get());
        clock.advance(Duration.ofSeconds(5));
        refused("bogus");
        assertEquals(2, keystone.asks.get());
    }

    @Test
    void aMissingTokenIsRefusedWithoutAskingKeystone() {
        ApiError refused = refused(null);
        assertEquals(401, refused.status());
        assertTrue(refused.getMessage().startsWith("Authentication required: send a Keystone token in X-Auth-Token"));
        assertEquals(401, refused(" ").status());
        assertEquals(0, keystone.asks.get());
        assertEquals("Keystone uri=\"http://keystone:5000\"", auth.challenge());
    }

    @Test
    void aTokenNotScopedToAProjectIsRefused() {
        keystone.issue("unscoped", "alice", null, "member");
        ApiError refused = refused("unscoped");
        assertEquals(401, refused.status());
        assertTrue(refused.getMessage().contains("not scoped to a project"), refused.getMessage());
    }

    @Test
    void keystoneDownIsA503AndNothingIsCached() {
        keystone.issue("gAAAA-4f9c", "alice", "demo", "member");
        keystone.down = true;
        ApiError down = refused("gAAAA-4f9c");
        assertEquals(503, down.status());
        assertFalse(down.getMessage().contains("gAAAA-4f9c"), "the token is never repeated");
        keystone.down = false;
        assertEquals("id-alice", call("gAAAA-4f9c").userId(), "the next request asks again");
        assertEquals(2, keystone.asks.get());
    }

    @Test
    void aCachedTokenWorksWhileKeystoneIsDown() {
        keystone.issue("tok", "alice", "demo", "reader");
        call("tok");
        keystone.down = true;
        assertEquals(List.of("reader"), call("tok").roles());
    }
}
